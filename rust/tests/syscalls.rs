//! ksim's test app for the runtime's system calls through libtock_platform
//! (tests/integration/test_libtock_rs.c): the return variants Command,
//! Memop, Subscribe and the Allows decode to, both yields with an upcall,
//! and main's Result as the completion code. Prints "FAIL ..." per failed
//! check, then "ksim libtock-rs syscalls ok" if none failed, and returns
//! Err(SIZE) so the test sees a completion code other than FAIL.
#![no_main]
#![no_std]

use core::cell::Cell;
use core::fmt::Write;
use core::sync::atomic::{AtomicU32, Ordering};
use libtock::console::Console;
use libtock::runtime::{set_main, stack_size};
use libtock_platform::{share, DefaultConfig, ErrorCode, Syscalls, YieldNoWaitReturn};
use libtock_runtime::TockSyscalls;

set_main! {main}
stack_size! {0x800}

static FAILED: AtomicU32 = AtomicU32::new(0);

fn check(what: &str, ok: bool) {
    if !ok {
        FAILED.fetch_add(1, Ordering::Relaxed);
        let _ = writeln!(Console::writer(), "FAIL {what}");
    }
}

const ALARM: u32 = 0x0;
const LEDS: u32 = 0x2;
const RNG: u32 = 0x40001;

fn commands() {
    let leds = TockSyscalls::command(LEDS, 0, 0, 0);
    check("LED count is Success with u32 4", leds.get_success_u32() == Some(4));
    let missing = TockSyscalls::command(0xdead, 0, 0, 0);
    check("a missing driver is NODEVICE", missing.get_failure() == Some(ErrorCode::NoDevice));
    let unknown = TockSyscalls::command(LEDS, 99, 0, 0);
    check("an unknown command is NOSUPPORT", unknown.get_failure() == Some(ErrorCode::NoSupport));
    let on = TockSyscalls::command(LEDS, 1, 3, 0);
    check("LED 3 on is Success", on.is_success());
    let bad = TockSyscalls::command(LEDS, 1, 0xffff_ffff, 0);
    check("LED 0xffffffff is INVAL", bad.get_failure() == Some(ErrorCode::Invalid));
}

fn memops() {
    let ram = TockSyscalls::memop_app_ram_start();
    check("memop 2 gives the RAM start", matches!(ram, Ok(p) if !p.is_null()));
    // Safety: sbrk(0) only reads the break.
    let brk = unsafe { TockSyscalls::memop_sbrk(0) };
    check("sbrk(0) gives the break", brk.is_ok());
    let Ok(brk) = brk else { return };
    let old = TockSyscalls::memop_increment_brk(4096);
    check("sbrk(4096) returns the old break", old == Ok(brk));
    // ABI.md: memory the break uncovers is zeroed and usable at once.
    let fresh = brk as *mut u8;
    // Safety: [brk, brk + 4096) was just given to the process.
    unsafe {
        check("uncovered memory is zero", fresh.read_volatile() == 0);
        fresh.add(4095).write_volatile(0x5a);
        check("and writable", fresh.add(4095).read_volatile() == 0x5a);
    }
    // Safety: nothing refers to the memory given back.
    check("brk back to the old break", unsafe { TockSyscalls::memop_brk(brk) }.is_ok());
    // Safety: a break below the start of RAM is refused, nothing moves.
    let low = unsafe { TockSyscalls::memop_brk(core::ptr::null()) };
    check("brk(0) is NOMEM", low == Err(ErrorCode::NoMem));
}

// Waits for the alarm's upcall with Yield-Wait; Yield-NoWait before it
// fires sees no upcall (virtual time stands still while the app runs).
fn yields() {
    let fired: Cell<Option<(u32, u32)>> = Cell::new(None);
    share::scope(|subscribe| {
        let r = TockSyscalls::subscribe::<_, _, DefaultConfig, ALARM, 0>(subscribe, &fired);
        check("subscribe to the alarm", r.is_ok());
        let set = TockSyscalls::command(ALARM, 5, 100, 0);
        check("alarm set relative", set.is_success_u32());
        check(
            "yield-no-wait before the alarm: no upcall",
            TockSyscalls::yield_no_wait() == YieldNoWaitReturn::NoUpcall,
        );
        check("no upcall ran", fired.get().is_none());
        let mut waits = 0;
        while fired.get().is_none() && waits < 10 {
            TockSyscalls::yield_wait();
            waits += 1;
        }
        check("yield-wait ran the alarm upcall once", fired.get().is_some() && waits == 1);
    });

    // The RNG answers at once, before any time passes: Yield-NoWait runs
    // its upcall and says so.
    let got: Cell<Option<(u32, u32, u32)>> = Cell::new(None);
    let mut buffer = [0u8; 16];
    share::scope::<(_, _), _, _>(|handle| {
        let (allow, subscribe) = handle.split();
        let a = TockSyscalls::allow_rw::<DefaultConfig, RNG, 0>(allow, &mut buffer);
        check("allow-rw of the RNG buffer", a.is_ok());
        let s = TockSyscalls::subscribe::<_, _, DefaultConfig, RNG, 0>(subscribe, &got);
        check("subscribe to the RNG", s.is_ok());
        check("RNG get 16", TockSyscalls::command(RNG, 1, 16, 0).is_success());
        let mut tries = 0;
        while TockSyscalls::yield_no_wait() == YieldNoWaitReturn::NoUpcall && tries < 100 {
            tries += 1;
        }
        check("yield-no-wait ran the RNG upcall", got.get().is_some());
        check("with 16 bytes received", matches!(got.get(), Some((_, 16, _))));
    });
    check("the RNG filled the buffer", buffer.iter().any(|&b| b != 0));

    // A missing driver refuses subscribe and allow with NODEVICE.
    let nothing: Cell<bool> = Cell::new(false);
    share::scope(|subscribe| {
        let r = TockSyscalls::subscribe::<_, _, DefaultConfig, 0xdead, 0>(subscribe, &nothing);
        check("subscribe to a missing driver is NODEVICE", r == Err(ErrorCode::NoDevice));
    });
    let text = b"read-only";
    share::scope(|allow| {
        let r = TockSyscalls::allow_ro::<DefaultConfig, 0xdead, 0>(allow, text);
        check("allow-ro to a missing driver is NODEVICE", r == Err(ErrorCode::NoDevice));
    });
}

fn main() -> Result<(), ErrorCode> {
    commands();
    memops();
    yields();
    if FAILED.load(Ordering::Relaxed) == 0 {
        writeln!(Console::writer(), "ksim libtock-rs syscalls ok").unwrap();
    }
    Err(ErrorCode::Size)
}
