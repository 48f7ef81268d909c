/* `ksim flash --image IMG install|list|remove|erase`: edits a flash image. */
#ifndef KSIM_SIM_CMD_FLASH_H
#define KSIM_SIM_CMD_FLASH_H

/* argv[0] is "flash". Returns an exit status (enum sim_exit). */
int sim_cmd_flash(int argc, char **argv);

#endif /* KSIM_SIM_CMD_FLASH_H */
