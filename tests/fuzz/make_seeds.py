#!/usr/bin/env python3
"""Writes the seed corpora and dictionaries of the fuzz targets (docs/fuzzing.md).

    tests/fuzz/make_seeds.py [--hello build/apps/hello.elf]

Seeds are small on purpose: hand-made ELF files that reach each part of the
loader, board files that touch every key, and system-call sequences in
fuzz_syscalls's input format (see the comment at the top of fuzz_syscalls.c)
that walk through each driver's protocol. The outputs are committed; run this
again after changing the input format or the board schema.
"""
import argparse
import os
import struct
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))


def write(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


# ---- fuzz_loader: ELF files --------------------------------------------------

EM = {"x86_64": 62, "aarch64": 183, "riscv": 243}
R_RELATIVE = {"x86_64": 8, "aarch64": 1027, "riscv": 3}
PT_LOAD, PT_DYNAMIC, PT_INTERP, PT_TLS, PT_GNU_STACK = 1, 2, 3, 7, 0x6474E551
PF_X, PF_W, PF_R = 1, 2, 4


def ehdr(machine, entry, phnum, etype=3):
    ident = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8)
    return ident + struct.pack("<HHIQQQIHHHHHH", etype, machine, 1, entry, 64, 0, 0, 64, 56,
                               phnum, 64, 0, 0)


def phdr(ptype, flags, offset, vaddr, filesz, memsz, align):
    return struct.pack("<IIQQQQQQ", ptype, flags, offset, vaddr, vaddr, filesz, memsz, align)


def elf(arch="x86_64", data=True, bss=0x40, rela=0, jmprel=0, dyn_extra=(), extra_ph=(),
        align=0x1000, code_flags=PF_R | PF_X, data_flags=PF_R | PF_W, entry_off=0x200,
        reloc_type=None, reloc_target=None):
    """A static PIE, compact in the file: a code page at 0 (ret at entry) of
    which the file holds the first 0x210 bytes, and a data page at 0x1000
    holding .dynamic, the RELA tables and the pointers they relocate."""
    code_len = 0x210
    rtype = R_RELATIVE[arch] if reloc_type is None else reloc_type
    relocs = b""
    for i in range(rela + jmprel):
        target = 0x1180 + 8 * i if reloc_target is None else reloc_target
        relocs += struct.pack("<QQq", target, rtype, 0x200 + i)
    dyn = b""
    table_at = 0x1000 + 0x80
    if rela:
        dyn += struct.pack("<qQ", 7, table_at) + struct.pack("<qQ", 8, 24 * rela)
        dyn += struct.pack("<qQ", 9, 24)
    if jmprel:
        dyn += struct.pack("<qQ", 23, table_at + 24 * rela) + struct.pack("<qQ", 2, 24 * jmprel)
    for tag, val in dyn_extra:
        dyn += struct.pack("<qQ", tag, val)
    dyn += struct.pack("<qQ", 0, 0)
    assert len(dyn) <= 0x80 and len(relocs) <= 0x100
    page = bytearray(0x1C0)
    page[0:len(dyn)] = dyn
    page[0x80:0x80 + len(relocs)] = relocs
    phs = [(PT_LOAD, code_flags, 0, 0, code_len, 0x1000, align)]
    if data:
        phs.append((PT_LOAD, data_flags, code_len, 0x1000, len(page), len(page) + bss, align))
        if rela or jmprel or dyn_extra:
            phs.append((PT_DYNAMIC, PF_R | PF_W, code_len, 0x1000, len(dyn), len(dyn), 8))
    phs += list(extra_ph)
    head = ehdr(EM[arch], entry_off, len(phs))
    head += b"".join(phdr(*p) for p in phs)
    assert len(head) <= entry_off
    body = bytearray(code_len)
    body[0:len(head)] = head
    body[entry_off] = 0xC3  # ret (x86); any bytes do, no code runs
    return bytes(body) + (bytes(page) if data else b"")


def loader_seeds(hello):
    write("fuzz_loader", "min-code-only", elf(data=False))
    write("fuzz_loader", "code-data-bss", elf(bss=0x3000))
    for arch in EM:
        write("fuzz_loader", "rela-" + arch, elf(arch, rela=3, jmprel=1))
    write("fuzz_loader", "align-64k", elf(align=0x10000, rela=1))
    write("fuzz_loader", "gnu-stack", elf(rela=1, extra_ph=[(PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 16)]))
    write("fuzz_loader", "relr", elf(rela=1, dyn_extra=[(36, 0x1080)]))
    write("fuzz_loader", "needed", elf(rela=1, dyn_extra=[(1, 1)]))
    write("fuzz_loader", "bad-reloc-type", elf(rela=1, reloc_type=1))
    write("fuzz_loader", "bad-reloc-target", elf(rela=1, reloc_target=0x10000000))
    write("fuzz_loader", "write-exec", elf(data_flags=PF_R | PF_W | PF_X))
    write("fuzz_loader", "interp", elf(extra_ph=[(PT_INTERP, PF_R, 0x100, 0x100, 16, 16, 1)]))
    write("fuzz_loader", "tls", elf(extra_ph=[(PT_TLS, PF_R, 0x210, 0x1000, 8, 16, 8)]))
    write("fuzz_loader", "not-pie", ehdr(62, 0x200, 0, etype=2))
    write("fuzz_loader", "truncated", elf(rela=1)[:0x60])
    if hello:
        out = os.path.join(HERE, "corpus", "fuzz_loader", "hello-stripped")
        subprocess.run(["strip", "-o", out, hello], check=True)


# ---- fuzz_board: board files -------------------------------------------------

DEFAULT = """{
  "name": "seed",
  "description": "every key, defaults",
  "memory": {
    "flash": {"base": "0x10000000", "size": "0x00400000"},
    "ram": {"base": "0x20000000", "size": "0x01000000", "kernel_reserved": "0x00010000"}
  },
  "mpu": {"model": "page"},
  "isolation": "mpu",
  "clock": {"mode": "virtual", "frequency_hz": 1000000, "width_bits": 32},
  "scheduler": {"timeslice_us": 10000},
  "fault_policy": "stop",
  "process": {"max_processes": 64, "stack_size": 16384, "heap_size": 131072,
              "grant_size": 4096, "upcall_queue_len": 16},
  "drivers": {"alarm": {"enabled": true}, "console": {"enabled": true},
              "low_level_debug": {"enabled": true}},
  "apps": ["hello.elf", "apps/sleep.elf"]
}
"""

BOARDS = {
    "default-all-keys.json": DEFAULT,
    "empty-object.json": "{}",
    "nrf-like.json": '{"name":"nrf","memory":{"flash":{"base":"0x00040000","size":"0x000c0000"},'
                     '"ram":{"base":536870912,"size":262144,"kernel_reserved":65536}},'
                     '"clock":{"frequency_hz":32768,"width_bits":24},"process":{"max_processes":8}}',
    "restart-policy.json": '{"fault_policy":"restart:3","isolation":"off","clock":{"mode":"real"}}',
    "mpu-models.json": '{"mpu":{"model":"cortex-m-pmsav7"},"scheduler":{"kind":"priority"}}',
    "pmp.json": '{"mpu":{"model":"riscv-pmp","pmp_entries":16}}',
    "more-drivers.json": '{"drivers":{"led":{"count":4},"button":{"count":2},"gpio":{"count":8},'
                         '"rng":{"enabled":true,"seed":7},"ipc":{"enabled":true}}}',
    "hex-and-decimal.json": '{"memory":{"ram":{"base":"536870912","size":"0x1000000"}}}',
    "err-unknown-key.json": '{"memory":{"rom":{}}}',
    "err-duplicate.json": '{"name":"a","name":"b"}',
    "err-syntax.json": '{"name": "unterminated',
    "err-nul-escape.json": '{"name":"a\\u0000b"}',
    "err-overlap.json": '{"memory":{"flash":{"base":"0x20000000","size":"0x1000"}}}',
    "err-big-number.json": '{"memory":{"ram":{"size":1e300}}}',
    "err-fraction.json": '{"process":{"stack_size":4096.5}}',
    "err-apps-type.json": '{"apps":[1, "", "x"]}',
}


def board_seeds():
    for name, text in BOARDS.items():
        write("fuzz_board", name, text.encode())
    # Raw mode (fuzz_board.c): records of (field selector, raw bytes) on a default board.
    raw = b"\0raw"
    write("fuzz_board", "raw-unterminated-name", raw + bytes([0, 255]) + b"N" * 64)
    write("fuzz_board", "raw-bad-enum-apps", raw + bytes([9]) + struct.pack("<I", 7)
          + bytes([32, 0, 3]) + b"a.e" + bytes([31]) + struct.pack("<Q", 1 << 40))
    write("fuzz_board", "raw-valid-app", raw + bytes([32, 0, 5]) + b"x.elf" + bytes([31])
          + struct.pack("<Q", 1) + bytes([15]) + struct.pack("<I", 2) + bytes([16])
          + struct.pack("<I", 5))


BOARD_DICT = [
    "name", "description", "memory", "flash", "ram", "base", "size", "kernel_reserved", "mpu",
    "model", "page", "cortex-m-pmsav7", "riscv-pmp", "pmp_entries", "isolation", "off", "clock",
    "mode", "virtual", "real", "frequency_hz", "width_bits", "scheduler", "kind", "round_robin",
    "priority", "timeslice_us", "fault_policy", "panic", "stop", "restart:", "process",
    "max_processes", "stack_size", "heap_size", "grant_size", "upcall_queue_len", "drivers",
    "alarm", "console", "low_level_debug", "led", "button", "gpio", "rng", "ipc", "enabled",
    "count", "seed", "apps",
]


def board_dict():
    lines = ['# fuzz_board: keys and values of the board schema (sim/board/board.c)']
    for word in BOARD_DICT:
        lines.append('"\\"%s\\""' % word)
    for tok in ["true", "false", "null", "0x", "\\u0000", "\\u00e9", "1e300", "-1", "4096",
                "0x100000000", "{", "}", "[", "]", ":", ","]:
        lines.append('"%s"' % tok.replace("\\", "\\\\"))
    lines.append('"\\x00raw"')
    return "\n".join(lines) + "\n"


# ---- fuzz_syscalls: call sequences -------------------------------------------
# Selector bytes of fuzz_syscalls.c: an index into the register's hint table
# (0x00-0x0f exact), a process boundary (0x80-0x8f), a generic constant
# (0xc0-0xdf), raw bytes (0xe0-0xe3), or a small number (0xe7 + n).

YIELD, SUBSCRIBE, COMMAND, ALLOW_RW, ALLOW_RO, MEMOP, EXIT, ALLOW_UR = range(8)
DRV = {"alarm": 0, "console": 1, "lld": 2, "led": 5, "button": 6, "gpio": 7, "rng": 8,
       "ipc": 9, "missing": 10, "console-high": 12}
NUM = {0: 0, 1: 1, 2: 2, 3: 3, 4: 8, 5: 9, 6: 10, 7: 11, 8: 6, 9: 7, 10: 12, 63: 4, 64: 5}
FN = {"null": 0, "image": 1, "entry": 2, "image+16": 3, "image_end": 6, "data": 8}
ADDR = {"stack": 0, "stack_end-16": 2, "data": 4, "data_end": 7, "brk-1": 8, "brk": 9,
        "brk-16": 10, "grant": 12, "image": 13, "zero": 15}
LEN = {0: 0, 1: 1, 4: 2, 16: 3, 256: 4, 0x1000: 6, "to_brk": 7, "to_stack_end": 8,
       "to_image_end": 9, "to_grant": 10, "wrap": 12}
YTYPE = {"no-wait": 0, "wait": 5, "wait-for": 8, "bad": 12}
SBRK = {0: 0, 16: 1, 0x1000: 2, -16: 3, -0x1000: 4, "to_grant": 5, "to_grant-1": 6}
EXITT = {"terminate": 0, "restart": 1, "bad": 2, "high-terminate": 6}


def small(n):
    assert 0 <= n <= 24
    return 0xE7 + n


def raw32(v):
    return bytes([0xE2]) + struct.pack("<I", v & 0xFFFFFFFF)


def call(cls, *sels):
    out = bytes([cls])
    for s in sels:
        out += bytes([s]) if isinstance(s, int) else s
    return out + bytes(4 - len(sels))


def memop(op, arg=b"\x00"):
    return call(MEMOP, op, arg)


def subscribe(drv, num, fn, ud=0):
    return call(SUBSCRIBE, DRV[drv], NUM[num], FN[fn], ud)


def command(drv, cmd, a0=0, a1=0):
    return call(COMMAND, DRV[drv], NUM[cmd], a0, a1)


def allow(cls, drv, num, addr, length):
    return call(cls, DRV[drv], NUM[num], ADDR[addr], LEN[length])


def yld(kind, a=0, b=0):
    return call(YIELD, YTYPE[kind], a, b)


ADVANCE_DEADLINE = b"\xe8\x00"
SERVICE = b"\xf8"
SWITCH = b"\xf4"


def store(addr, data):
    """The running process writes data at one of its ADDR selectors."""
    return bytes([0xF6, ADDR[addr], len(data) - 1]) + data


def press(button, pressed=True):
    return bytes([0xFC, (0x40 if pressed else 0) | button])


def pin_level(pin, high):
    return bytes([0xFC, 0x80 | (0x40 if high else 0) | pin])


def console_in(data):
    return bytes([0xF0, len(data) - 1]) + data


def syscall_seeds():
    seeds = {
        "memops": b"".join(memop(i) for i in range(13)),
        "brk-sbrk": memop(0, b"\x87") + memop(1, bytes([SBRK[0x1000]])) + memop(1, bytes([SBRK[-16]]))
        + memop(1, bytes([SBRK["to_grant"]])) + memop(1, bytes([SBRK["to_grant-1"]]))
        + memop(0, b"\x85") + memop(0, b"\x95"),
        "alarm-wait": subscribe("alarm", 0, "entry", small(5)) + command("alarm", 1)
        + command("alarm", 2) + command("alarm", 5, raw32(1000)) + yld("wait")
        + memop(2),
        "alarm-wait-for": command("alarm", 5, raw32(50)) + yld("wait-for", DRV["alarm"], 0)
        + command("alarm", 6, raw32(0), raw32(10)) + command("alarm", 3) + command("alarm", 3),
        "alarm-wrap": b"\xe8\x06" + command("alarm", 5, raw32(5000)) + ADVANCE_DEADLINE
        + subscribe("alarm", 0, "image+16") + yld("no-wait", ADDR["stack"]),
        "console-write": allow(ALLOW_RO, "console", 1, "image", 16)
        + subscribe("console", 1, "entry", small(9)) + command("console", 1, small(16))
        + command("console", 1, small(4)) + yld("wait") + SERVICE + yld("no-wait", ADDR["data"]),
        "console-read": allow(ALLOW_RW, "console", 1, "stack", 16)
        + subscribe("console", 2, "image") + command("console", 2, small(8))
        + console_in(b"ksim fuzz") + yld("wait-for", DRV["console"], 2)
        + command("console", 2, small(4)) + command("console", 3) + SERVICE + yld("no-wait"),
        "allow-swap": allow(ALLOW_RW, "console", 1, "data", 16) + allow(ALLOW_RW, "console", 1, "stack", 4)
        + allow(ALLOW_RO, "console", 1, "brk-16", 16) + allow(ALLOW_RO, "console", 0, "zero", 0)
        + allow(ALLOW_UR, "console", 0, "data", 4) + allow(ALLOW_RW, "missing", 1, "data", 4)
        + allow(ALLOW_RW, "console", 7, "data", 4) + allow(ALLOW_RW, "console", 1, "brk", "to_grant"),
        "allow-hwm-brk": memop(1, bytes([SBRK[0x1000]])) + allow(ALLOW_RW, "console", 1, "brk-16", 16)
        + memop(1, bytes([SBRK[-16]])) + memop(1, bytes([SBRK[-0x1000]])) + memop(0, b"\x85"),
        "subscribe-swap": subscribe("alarm", 0, "entry", small(1)) + subscribe("alarm", 0, "image", small(2))
        + subscribe("alarm", 0, "null") + subscribe("alarm", 1, "entry") + subscribe("missing", 0, "entry")
        + subscribe("console", 0, "image_end") + subscribe("console-high", 1, "entry"),
        "lld": command("lld", 0) + command("lld", 1, small(3)) + command("lld", 2, small(4))
        + command("lld", 3, small(5), small(6)) + command("lld", 4) + command("missing", 0),
        "exit-restart": subscribe("alarm", 0, "entry") + call(EXIT, EXITT["restart"], small(7))
        + subscribe("alarm", 0, "entry") + call(EXIT, EXITT["bad"]) + call(EXIT, EXITT["high-terminate"])
        + call(EXIT, EXITT["terminate"], small(2)) + memop(2),
        "faults": yld("bad") + memop(3) + b"\xe0" + bytes(4) + memop(4) + b"\xe7\x05" + bytes(4),
        "yield-flag": yld("no-wait", ADDR["stack"]) + yld("no-wait", ADDR["brk-1"])
        + yld("no-wait", ADDR["brk"]) + yld("no-wait", ADDR["image"]) + yld("no-wait", ADDR["grant"]),
        "gpio": command("gpio", 1, small(0)) + command("gpio", 2, small(0)) + command("gpio", 4, small(0))
        + command("gpio", 5, small(1), small(1)) + command("gpio", 7, small(1), small(0))
        + subscribe("gpio", 0, "entry") + command("gpio", 6, small(1)) + pin_level(1, True)
        + yld("no-wait") + command("gpio", 8, small(1)) + command("gpio", 9, small(0))
        + command("gpio", 10) + command("gpio", 5, small(9)),
        "buttons": command("button", 0) + command("button", 1, small(0)) + subscribe("button", 0, "entry")
        + press(0) + yld("wait") + command("button", 3, small(0)) + press(0, False)
        + command("button", 2, small(0)) + command("led", 3, small(1)) + command("led", 4, small(1)),
        "ipc-peers": store("stack", b"peer") + allow(ALLOW_RO, "ipc", 0, "stack", 4) + command("ipc", 1)
        + allow(ALLOW_RW, "ipc", 1, "data", 16) + store("data", b"request")
        + SWITCH + allow(ALLOW_RW, "ipc", 1, "data", 16) + subscribe("ipc", 1, "entry", small(3))
        + yld("wait") + command("ipc", 2, small(1)) + SERVICE + SWITCH
        + subscribe("ipc", 0, "entry") + command("ipc", 3, small(0)) + SWITCH + yld("no-wait"),
        "other-drivers": command("led", 0) + command("led", 1, small(0)) + command("button", 0)
        + command("gpio", 0) + command("rng", 0) + command("ipc", 0)
        + allow(ALLOW_RW, "rng", 0, "data", 16) + subscribe("rng", 0, "entry") + command("rng", 1, small(16)),
    }
    for name, data in seeds.items():
        write("fuzz_syscalls", name, data)
    lines = ["# fuzz_syscalls: whole calls in its input format (fuzz_syscalls.c)"]
    for name, data in [("memop-break", memop(0, b"\x87")), ("sbrk-page", memop(1, b"\x02")),
                       ("subscribe-alarm", subscribe("alarm", 0, "entry")),
                       ("alarm-relative", command("alarm", 5, raw32(1000))),
                       ("console-ro", allow(ALLOW_RO, "console", 1, "data", 16)),
                       ("console-rw", allow(ALLOW_RW, "console", 1, "stack", 16)),
                       ("console-write", command("console", 1, small(16))),
                       ("console-read", command("console", 2, small(8))),
                       ("yield-wait", yld("wait")), ("yield-no-wait", yld("no-wait", ADDR["stack"])),
                       ("yield-wait-for", yld("wait-for", DRV["alarm"], 0)),
                       ("advance-deadline", ADVANCE_DEADLINE), ("service", SERVICE),
                       ("switch", SWITCH), ("store-name", store("stack", b"peer")),
                       ("ipc-discover", command("ipc", 1)), ("ipc-notify", command("ipc", 2, small(1))),
                       ("press", press(0)), ("pin-high", pin_level(1, True)),
                       ("exit-restart", call(EXIT, 1))]:
        lines.append("%s=\"%s\"" % (name.replace("-", "_"), "".join("\\x%02x" % c for c in data)))
    return "\n".join(lines) + "\n"


def loader_dict():
    lines = ["# fuzz_loader: ELF magic, header and program-header values, dynamic tags"]
    toks = {
        "magic": b"\x7fELF\x02\x01\x01", "et_dyn": struct.pack("<H", 3),
        "em_x86_64": struct.pack("<H", 62), "em_aarch64": struct.pack("<H", 183),
        "em_riscv": struct.pack("<H", 243), "phentsize": struct.pack("<H", 56),
        "pt_load_rx": struct.pack("<II", 1, 5), "pt_load_rw": struct.pack("<II", 1, 6),
        "pt_dynamic": struct.pack("<II", 2, 6), "pt_interp": struct.pack("<I", 3),
        "pt_tls": struct.pack("<I", 7), "align_4k": struct.pack("<Q", 0x1000),
        "align_64k": struct.pack("<Q", 0x10000), "dt_rela": struct.pack("<q", 7),
        "dt_relasz": struct.pack("<q", 8), "dt_relaent_24": struct.pack("<qQ", 9, 24),
        "dt_jmprel": struct.pack("<q", 23), "dt_pltrelsz": struct.pack("<q", 2),
        "dt_needed": struct.pack("<q", 1), "dt_textrel": struct.pack("<q", 22),
        "dt_rel": struct.pack("<q", 17), "dt_relr": struct.pack("<q", 36),
        "r_x86_64_relative": struct.pack("<Q", 8), "r_aarch64_relative": struct.pack("<Q", 1027),
        "r_riscv_relative": struct.pack("<Q", 3), "span_16m": struct.pack("<Q", 16 << 20),
    }
    for name, data in toks.items():
        lines.append("%s=\"%s\"" % (name, "".join("\\x%02x" % c for c in data)))
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hello", help="build/apps/hello.elf, stripped into a loader seed")
    args = ap.parse_args()
    loader_seeds(args.hello)
    board_seeds()
    dicts = {"fuzz_board.dict": board_dict(), "fuzz_loader.dict": loader_dict(),
             "fuzz_syscalls.dict": syscall_seeds()}
    for name, text in dicts.items():
        with open(os.path.join(HERE, name), "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
