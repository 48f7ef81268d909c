//! ksim's test app for panics (tests/integration/test_libtock_rs.c): prints
//! a line, then panics. libtock-rs's panic handlers end the process with
//! Exit: the debug one prints the panic message on the console first.
#![no_main]
#![no_std]

use core::fmt::Write;
use libtock::console::Console;
use libtock::runtime::{set_main, stack_size};

set_main! {main}
stack_size! {0x400}

fn main() {
    writeln!(Console::writer(), "about to panic").unwrap();
    let answer = core::hint::black_box(42);
    panic!("ksim test panic {answer}");
}
