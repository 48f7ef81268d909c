/*
 * The alarm driver (0x0). Ticks are 32 bits and wrap; delays of any length
 * are split into waits of at most 2^31 ticks. The delays take over the
 * alarm's subscribe number 0 (they leave the Null Upcall there).
 */
#ifndef KSIM_APP_ALARM_H
#define KSIM_APP_ALARM_H

#include <stdint.h>
#include <tock.h>

#define KSIM_ALARM_MAX_WAIT_TICKS (UINT32_C(1) << 31)

returncode_t ksim_alarm_frequency(uint32_t *hz);
returncode_t ksim_alarm_now(uint32_t *ticks);
/* Arms the alarm dt ticks from now; *expiration (may be NULL) gets when. */
returncode_t ksim_alarm_set_relative(uint32_t dt, uint32_t *expiration);
returncode_t ksim_alarm_stop(void);
/* Waits for the alarm's upcall; *now (may be NULL) gets its tick count. */
returncode_t ksim_alarm_wait(uint32_t *now);

returncode_t ksim_delay_ticks(uint64_t ticks);
returncode_t delay_ms(uint32_t ms);
returncode_t delay_us(uint32_t us);

#endif /* KSIM_APP_ALARM_H */
