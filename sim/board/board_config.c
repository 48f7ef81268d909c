/* From a board to the configurations of the HAL and the kernel it describes. */
#define _GNU_SOURCE
#include "board/board_config.h"

#include <unistd.h>

uint16_t sim_host_machine(void)
{
#if defined(__x86_64__)
    return LOADER_EM_X86_64;
#elif defined(__aarch64__)
    return LOADER_EM_AARCH64;
#else
    return LOADER_EM_RISCV;
#endif
}

void sim_board_configs(const struct board *b, struct hal_stub_config *hc, struct kernel_config *kc)
{
    *hc = (struct hal_stub_config){
        .ram_base = (uintptr_t)b->ram.base,
        .ram_size = (size_t)b->ram.size,
        .page_size = (size_t)sysconf(_SC_PAGESIZE),
        .mpu_model = b->mpu_model,
        .pmp_entries = b->pmp_entries,
        .isolation = b->isolation == BOARD_ISOLATION_MPU,
        .isolation_process = b->isolation == BOARD_ISOLATION_PROCESS,
        .ram_fd = -1,
        .flash_fd = -1,
        .flash_base = (uintptr_t)b->flash.base,
        .flash_size = (size_t)b->flash.size,
        .clock_real = b->clock.mode == BOARD_CLOCK_REAL,
        .frequency_hz = b->clock.frequency_hz,
        .width_bits = b->clock.width_bits,
        .max_procs = b->process.max_processes,
        .timeslice_us = b->scheduler.timeslice_us,
        .out_fd = STDOUT_FILENO,
        .led_count = b->drivers.led_count,
        .button_count = b->drivers.button_count,
        .pin_count = b->drivers.gpio_count,
        .rng_seed = b->drivers.rng_seed,
        .sensor_present =
            {
                [HAL_SENSOR_TEMPERATURE] = b->drivers.temperature,
                [HAL_SENSOR_HUMIDITY] = b->drivers.humidity,
                [HAL_SENSOR_AMBIENT_LIGHT] = b->drivers.ambient_light,
                [HAL_SENSOR_ACCELEROMETER] = b->drivers.ninedof,
                [HAL_SENSOR_MAGNETOMETER] = b->drivers.ninedof,
                [HAL_SENSOR_GYROSCOPE] = b->drivers.ninedof,
                [HAL_SENSOR_PROXIMITY] = b->drivers.proximity,
                [HAL_SENSOR_SOUND_PRESSURE] = b->drivers.sound_pressure,
                [HAL_SENSOR_MOISTURE] = b->drivers.moisture,
                [HAL_SENSOR_CO2] = b->drivers.air_quality,
                [HAL_SENSOR_TVOC] = b->drivers.air_quality,
                [HAL_SENSOR_RAINFALL] = b->drivers.rainfall,
            },
    };
    /* What each sensor reads: one value, or a 9-DOF axis triple. */
    struct hal_sensor_reading *v = hc->sensor_value;
    v[HAL_SENSOR_TEMPERATURE].v[0] = b->drivers.temperature_value;
    v[HAL_SENSOR_HUMIDITY].v[0] = (int32_t)b->drivers.humidity_value;
    v[HAL_SENSOR_AMBIENT_LIGHT].v[0] = (int32_t)b->drivers.ambient_light_value;
    v[HAL_SENSOR_PROXIMITY].v[0] = (int32_t)b->drivers.proximity_value;
    v[HAL_SENSOR_SOUND_PRESSURE].v[0] = (int32_t)b->drivers.sound_pressure_value;
    v[HAL_SENSOR_MOISTURE].v[0] = (int32_t)b->drivers.moisture_value;
    v[HAL_SENSOR_CO2].v[0] = (int32_t)b->drivers.co2_value;
    v[HAL_SENSOR_TVOC].v[0] = (int32_t)b->drivers.tvoc_value;
    v[HAL_SENSOR_RAINFALL].v[0] = (int32_t)b->drivers.rainfall_value;
    for (unsigned i = 0; i < 3; i++) {
        v[HAL_SENSOR_ACCELEROMETER].v[i] = b->drivers.accelerometer[i];
        v[HAL_SENSOR_MAGNETOMETER].v[i] = b->drivers.magnetometer[i];
        v[HAL_SENSOR_GYROSCOPE].v[i] = b->drivers.gyroscope[i];
    }
    *kc = (struct kernel_config){
        .stack_size = b->process.stack_size,
        .heap_size = b->process.heap_size,
        .grant_size = b->process.grant_size,
        .upcall_queue_len = b->process.upcall_queue_len,
        .fault_policy = b->fault_policy == BOARD_FAULT_PANIC     ? KERNEL_FAULT_PANIC
                        : b->fault_policy == BOARD_FAULT_RESTART ? KERNEL_FAULT_RESTART
                                                                 : KERNEL_FAULT_STOP,
        .fault_restarts = b->fault_restarts,
        .elf_machine = sim_host_machine(),
        .kernel_reserved = (size_t)b->ram.kernel_reserved,
        .drv_alarm = b->drivers.alarm,
        .drv_console = b->drivers.console,
        .drv_low_level_debug = b->drivers.low_level_debug,
        .drv_led = b->drivers.led_count > 0,
        .drv_button = b->drivers.button_count > 0,
        .drv_gpio = b->drivers.gpio_count > 0,
        .drv_rng = b->drivers.rng,
        .drv_ipc = b->drivers.ipc,
        .drv_app_flash = b->drivers.app_flash,
        .drv_temperature = b->drivers.temperature,
        .drv_humidity = b->drivers.humidity,
        .drv_ambient_light = b->drivers.ambient_light,
        .drv_ninedof = b->drivers.ninedof,
        .drv_proximity = b->drivers.proximity,
        .drv_sound_pressure = b->drivers.sound_pressure,
        .drv_air_quality = b->drivers.air_quality,
        .drv_moisture = b->drivers.moisture,
        .drv_rainfall = b->drivers.rainfall,
        .pressure = b->process.memory_pressure == BOARD_PRESSURE_EVICT ? KERNEL_PRESSURE_EVICT
                                                                       : KERNEL_PRESSURE_REFUSE,
        .sched_kind =
            b->scheduler.kind == BOARD_SCHED_PRIORITY ? SCHED_PRIORITY : SCHED_ROUND_ROBIN,
    };
}
