//! `libtock` for ksim: the API of libtock-rs's `libtock` crate (the same
//! modules, type names and re-exports, as of libtock-rs 0ff277b), each API
//! crate of the libtock-rs checkout instantiated with ksim's runtime
//! (`libtock_runtime::TockSyscalls`, rust/runtime), so that an example's
//! `use libtock::...` builds unchanged. Built by ksim-cargo, which points
//! the dependencies at the checkout (docs/libtock-rs.md).
//!
//! The `rust_embedded` feature (embedded-hal traits) is not offered: its
//! crate cannot be fetched offline.
#![forbid(unsafe_code)]
#![no_std]

// The panic handler, chosen as libtock does: the one that prints the panic
// message on the console in debug builds, the small one (low-level debug
// alert code only) in release builds. Both end the process with Exit.
#[cfg(debug_assertions)]
extern crate libtock_debug_panic;
#[cfg(not(debug_assertions))]
extern crate libtock_small_panic;

pub use libtock_platform as platform;
pub use libtock_runtime as runtime;

/// The system-call implementation every driver type below uses.
type Sys = libtock_runtime::TockSyscalls;

pub mod adc {
    pub type Adc = libtock_adc::Adc<super::Sys>;
    pub use libtock_adc::ADCListener;
}

pub mod air_quality {
    pub type AirQuality = libtock_air_quality::AirQuality<super::Sys>;
    pub use libtock_air_quality::AirQualityListener;
}

pub mod alarm {
    pub type Alarm = libtock_alarm::Alarm<super::Sys>;
    pub use libtock_alarm::{Convert, Hz, Milliseconds, Ticks};
}

pub mod ambient_light {
    pub type AmbientLight = libtock_ambient_light::AmbientLight<super::Sys>;
    pub use libtock_ambient_light::IntensityListener;
}

pub mod buttons {
    pub type Buttons = libtock_buttons::Buttons<super::Sys>;
    pub use libtock_buttons::{ButtonListener, ButtonState};
}

pub mod buzzer {
    pub type Buzzer = libtock_buzzer::Buzzer<super::Sys>;
    pub use libtock_buzzer::Note;
}

pub mod console {
    pub type Console = libtock_console::Console<super::Sys>;
    pub use libtock_console::ConsoleWriter;
}

pub mod display {
    pub type Screen = libtock_screen::Screen<super::Sys>;
}

pub mod gpio {
    pub type Gpio = libtock_gpio::Gpio<super::Sys>;
    pub use libtock_gpio::{
        Error, GpioInterruptListener, GpioState, InputPin, OutputPin, PinInterruptEdge, Pull,
        PullDown, PullNone, PullUp,
    };
}

pub mod i2c_master {
    pub type I2CMaster = libtock_i2c_master::I2CMaster<super::Sys>;
}

pub mod i2c_master_slave {
    pub type I2CMasterSlave = libtock_i2c_master_slave::I2CMasterSlave<super::Sys>;
}

pub mod ieee802154 {
    pub type Ieee802154 = libtock_ieee802154::Ieee802154<super::Sys>;
    pub use libtock_ieee802154::{Frame, RxOperator, RxRingBuffer};
    pub type RxSingleBufferOperator<'buf, const N: usize> =
        libtock_ieee802154::RxSingleBufferOperator<'buf, N, super::Sys>;
}

pub mod key_value {
    pub type KeyValue = libtock_key_value::KeyValue<super::Sys>;
}

pub mod leds {
    pub type Leds = libtock_leds::Leds<super::Sys>;
}

pub mod low_level_debug {
    pub type LowLevelDebug = libtock_low_level_debug::LowLevelDebug<super::Sys>;
    pub use libtock_low_level_debug::AlertCode;
}

// Only with the facade's `ninedof` feature: libtock_ninedof needs libm from
// crates.io, which an offline build cannot fetch.
#[cfg(feature = "ninedof")]
pub mod ninedof {
    pub type NineDof = libtock_ninedof::NineDof<super::Sys>;
    pub use libtock_ninedof::NineDofListener;
}

pub mod proximity {
    pub type Proximity = libtock_proximity::Proximity<super::Sys>;
}

pub mod rng {
    pub type Rng = libtock_rng::Rng<super::Sys>;
    pub use libtock_rng::RngListener;
}

pub mod sound_pressure {
    pub type SoundPressure = libtock_sound_pressure::SoundPressure<super::Sys>;
}

pub mod spi_controller {
    pub type SpiController = libtock_spi_controller::SpiController<super::Sys>;
}

pub mod temperature {
    pub type Temperature = libtock_temperature::Temperature<super::Sys>;
    pub use libtock_temperature::TemperatureListener;
}
