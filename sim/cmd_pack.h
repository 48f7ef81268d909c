/* `ksim pack APP.elf -o APP.tbf`: wraps an app in a Tock Binary Format object. */
#ifndef KSIM_SIM_CMD_PACK_H
#define KSIM_SIM_CMD_PACK_H

/* argv[0] is "pack". Returns an exit status (enum sim_exit). */
int sim_cmd_pack(int argc, char **argv);

#endif /* KSIM_SIM_CMD_PACK_H */
