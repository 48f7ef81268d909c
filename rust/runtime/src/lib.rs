//! ksim's x86-64 runtime for libtock-rs apps: what `libtock_runtime` provides
//! on ARM and RISC-V boards, for native x86-64 blobs that ksim loads
//! (docs/libtock-rs.md, ABI.md).
//!
//! - `_start` takes ksim's five arguments (image start, RAM start, RAM
//!   length, initial break, the gate), reports the stack top and heap start
//!   (memop 10 and 11, as libtock_runtime does) and calls the app's main;
//! - `TockSyscalls` implements libtock_platform's `RawSyscalls` by calling
//!   the gate with TRD104's registers r0..r3;
//! - `set_main!` and `stack_size!` have libtock_runtime's names and meaning.
//!
//! ksim-cargo builds this crate under the package name `libtock_runtime`, so
//! libtock-rs's panic handlers and examples use it unchanged.
#![no_std]
#![warn(unsafe_op_in_unsafe_fn)]

pub mod startup;
mod syscalls;

/// Implements `libtock_platform::RawSyscalls` (and so `Syscalls`) through
/// ksim's gate.
pub struct TockSyscalls;

pub use startup::get_heap_start;
