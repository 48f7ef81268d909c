//! Process start-up on ksim, and the `set_main!` and `stack_size!` macros.
//!
//! ksim's loader has already done what libtock_runtime's start-up does on a
//! board (placing data, zeroing bss, applying relocations; ABI.md, "Process
//! memory"), and it runs the process on a stack of the board's
//! `process.stack_size`. So `_start` only keeps the gate, records the
//! layout, reports the stack top and heap start and calls main.
use crate::TockSyscalls;
use core::sync::atomic::{AtomicUsize, Ordering};
use libtock_platform::{Syscalls, Termination};

/// `set_main! {main}` names the app's main function, which has the
/// signature `fn() -> T` for a `T: libtock_platform::Termination` (`()`,
/// `Result<(), ErrorCode>`, `!`, ...). Returning from it exits through
/// `Termination::complete`, as on a board.
#[macro_export]
macro_rules! set_main {
    {$name:ident} => {
        // _start calls this by name; it must never return.
        #[unsafe(no_mangle)]
        fn libtock_unsafe_main() -> ! {
            #[allow(unreachable_code)] // fn main() -> ! is fine too
            $crate::startup::handle_main_return($name())
        }
    }
}

/// `stack_size! {BYTES}` declares the stack the app asks for, as on a board,
/// where elf2tab reads it from the `STACK_MEMORY` symbol. ksim keeps the
/// symbol (in `.stack_buffer`, which ksim's linker script places in bss) but
/// runs every process on the board's stack (`process.stack_size`, 16 KiB by
/// default): x86-64 code needs more stack than Thumb or RISC-V code, and
/// the loader places that stack where an overflow faults.
#[macro_export]
macro_rules! stack_size {
    {$size:expr} => {
        #[unsafe(no_mangle)]
        #[unsafe(link_section = ".stack_buffer")]
        pub static mut STACK_MEMORY: [u8; $size] = [0; $size];
    }
}

/// Public for `set_main!`: ends the process with main's result.
pub fn handle_main_return<T: Termination>(result: T) -> ! {
    Termination::complete::<TockSyscalls>(result)
}

/// Where the heap may start: the end of bss, or the initial break if the
/// loader placed it lower. Set by `_start`.
static HEAP_START: AtomicUsize = AtomicUsize::new(0);

/// The first address an allocator may use, as libtock_runtime's
/// `get_heap_start`: memory from here up to the break (memop 0 and 1 move
/// it) belongs to the heap.
pub fn get_heap_start() -> *mut () {
    HEAP_START.load(Ordering::Relaxed) as *mut ()
}

// The entry point. ksim calls it as the C function
//   void _start(void *app_start, void *mem_start, uintptr_t mem_len,
//               void *app_heap_break, ksim_gate_fn gate);
// on the process stack (ABI.md). The stub adds the stack pointer at entry as
// a sixth argument (the stack top for memop 10) and realigns the stack to
// 16 bytes, whatever the loader did, before calling Rust code.
core::arch::global_asm!(
    ".pushsection .text._start,\"ax\",@progbits",
    ".globl _start",
    ".type _start,@function",
    "_start:",
    "mov r9, rsp",
    "and rsp, -16",
    "call {rust_start}",
    "ud2",
    ".size _start, . - _start",
    ".popsection",
    rust_start = sym rust_start,
);

unsafe extern "C" {
    // End of bss, from the linker.
    static _end: u8;
}

/// The first Rust code of the process, called by `_start`.
extern "C" fn rust_start(
    _app_start: usize,
    _mem_start: usize,
    _mem_len: usize,
    app_heap_break: usize,
    gate: usize,
    stack_top: usize,
) -> ! {
    crate::syscalls::set_gate(gate);

    // Safety: only the address of _end is taken.
    let bss_end = (core::ptr::addr_of!(_end) as usize + 15) & !15;
    let heap_start = if bss_end <= app_heap_break {
        bss_end
    } else {
        (app_heap_break + 15) & !15
    };
    HEAP_START.store(heap_start, Ordering::Relaxed);

    // Debug information for the kernel's process report; failures don't
    // matter. libtock_runtime makes these calls unless its no_debug_memop
    // feature is on.
    let _ = TockSyscalls::memop_debug_stack_start(stack_top as *const u8);
    let _ = TockSyscalls::memop_debug_heap_start(heap_start as *const u8);

    unsafe extern "Rust" {
        // Defined by set_main!.
        fn libtock_unsafe_main() -> !;
    }
    // Safety: set_main! defines it with exactly this signature.
    unsafe { libtock_unsafe_main() }
}

/// The personality routine the precompiled `core` of the x86_64 Linux
/// target refers to from its unwind tables. Apps are built with
/// `panic=abort`, so nothing ever unwinds and this is never called; release
/// builds (LTO) drop the reference, debug builds need the symbol.
#[unsafe(no_mangle)]
pub extern "C" fn rust_eh_personality() {}
