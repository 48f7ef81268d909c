//! `RawSyscalls` through ksim's gate (ABI.md, "How an app reaches the kernel
//! on the host"): `gate(class, regs)` takes r0..r3 in `regs` and leaves the
//! kernel's r0..r3 there. It is an ordinary C call, so the compiler saves
//! whatever the call may clobber; the register and option lists that
//! libtock_platform's documentation asks of an assembly implementation are
//! therefore met by construction (the call is never `pure` or `nomem`).
use core::sync::atomic::{AtomicUsize, Ordering};
use libtock_platform::{syscall_class, RawSyscalls, Register};

/// `void (*)(uint32_t syscall_class, uintptr_t regs[4])`, ABI.md.
type Gate = unsafe extern "C" fn(u32, *mut usize);

/// The gate's address, set once by `_start` before any Rust code runs.
static GATE: AtomicUsize = AtomicUsize::new(0);

pub(crate) fn set_gate(gate: usize) {
    GATE.store(gate, Ordering::Relaxed);
}

const YIELD: u32 = 0;

/// One system call: r0..r3 in, the kernel's r0..r3 out.
#[inline(always)]
fn call(class: u32, mut regs: [usize; 4]) -> [usize; 4] {
    let gate = GATE.load(Ordering::Relaxed);
    if gate == 0 {
        // Not started by ksim's loader: there is no way into a kernel.
        trap();
    }
    // Safety: the loader handed this address to _start as the gate, which
    // reads and writes exactly four words of `regs`.
    unsafe {
        let gate: Gate = core::mem::transmute::<usize, Gate>(gate);
        gate(class, regs.as_mut_ptr());
    }
    regs
}

#[inline(always)]
fn trap() -> ! {
    // Safety: ud2 raises #UD, which ksim reports as a process fault.
    unsafe { core::arch::asm!("ud2", options(noreturn, nomem, nostack)) }
}

fn word(r: Register) -> usize {
    r.into()
}

fn reg(w: usize) -> Register {
    w.into()
}

unsafe impl RawSyscalls for crate::TockSyscalls {
    // Yield-Wait: no value comes back (ABI.md: all four registers are 0).
    unsafe fn yield1([r0]: [Register; 1]) {
        call(YIELD, [word(r0), 0, 0, 0]);
    }

    // Yield-NoWait: r1 is the address of the byte the kernel sets to 1 if an
    // upcall ran, else 0.
    unsafe fn yield2([r0, r1]: [Register; 2]) {
        call(YIELD, [word(r0), word(r1), 0, 0]);
    }

    // Memop with no argument (RAM start, image bounds, ...).
    unsafe fn syscall1<const CLASS: usize>([r0]: [Register; 1]) -> [Register; 2] {
        let out = call(CLASS as u32, [word(r0), 0, 0, 0]);
        [reg(out[0]), reg(out[1])]
    }

    // Memop with an argument, and Exit, which never returns.
    unsafe fn syscall2<const CLASS: usize>([r0, r1]: [Register; 2]) -> [Register; 2] {
        let out = call(CLASS as u32, [word(r0), word(r1), 0, 0]);
        if CLASS == syscall_class::EXIT {
            // ABI.md: exit 0 and 1 never return; any other exit number
            // returns Failure NOSUPPORT, and libtock_platform only ever
            // passes 0 or 1 and relies on not coming back.
            trap();
        }
        [reg(out[0]), reg(out[1])]
    }

    // Subscribe, Command and the three Allows, full width: pointers, sizes
    // and userdata come back exactly as the kernel returns them.
    unsafe fn syscall4<const CLASS: usize>([r0, r1, r2, r3]: [Register; 4]) -> [Register; 4] {
        let out = call(CLASS as u32, [word(r0), word(r1), word(r2), word(r3)]);
        [reg(out[0]), reg(out[1]), reg(out[2]), reg(out[3])]
    }
}
