// Shared by the STM32F1Bootloader tests: the routine's bytes as the BUILT module ships them, the chip's registers
// the routine touches, and the Thumb disassembler (capstone-wasm).
import { readFileSync } from "node:fs";
import { Capstone, Const, loadCapstone } from "capstone-wasm";

export const BOOTLOADER_BUILDS = ["STM32F1Bootloader.js", "STM32F1Bootloader.min.js"];

/** Source text of a built module file. */
export function builtSource(build) {
  return readFileSync(new URL("../modules/" + build, import.meta.url), "utf8");
}

/** The routine's machine code inside a built module file (the only base64 string literal: atob("...") in the
 * .min.js, ROUTINE = "..." in the .js). @returns {Buffer} */
export function shippedRoutine(build = "STM32F1Bootloader.min.js") {
  const m = /(?:atob\(|ROUTINE = )"([A-Za-z0-9+/=]{100,})"/.exec(builtSource(build));
  if (!m) throw new Error(`${build}: no atob("...") routine`);
  return Buffer.from(m[1], "base64");
}

/** The assembly source. */
export const ASM_SOURCE = readFileSync(new URL("../src/STM32F1Bootloader/enter-system-bootloader.S", import.meta.url), "utf8");

/** Disassemble Thumb (M-class) code with capstone. @returns {{addr:number,size:number,mnemonic:string,ops:string}[]} */
export async function disassemble(bytes, count = 0) {
  await loadCapstone();
  const cs = new Capstone(Const.CS_ARCH_ARM, Const.CS_MODE_THUMB | Const.CS_MODE_MCLASS);
  try {
    return cs.disasm(bytes, { address: 0, count }).map((i) => ({ addr: Number(i.address), size: i.size, mnemonic: i.mnemonic, ops: i.opStr }));
  } finally {
    cs.close();
  }
}

/** Registers the routine may touch, read straight from the chip (no counted native calls): name -> value. */
export const REGISTERS = {
  RCC_CR: 0x40021000, RCC_CFGR: 0x40021004, RCC_CIR: 0x40021008, RCC_APB2RSTR: 0x4002100c, RCC_APB1RSTR: 0x40021010,
  RCC_AHBENR: 0x40021014, RCC_APB2ENR: 0x40021018, RCC_APB1ENR: 0x4002101c,
  STK_CTRL: 0xe000e010, STK_LOAD: 0xe000e014, STK_VAL: 0xe000e018,
  NVIC_ISER0: 0xe000e100, NVIC_ISER1: 0xe000e104, NVIC_ISPR0: 0xe000e200, NVIC_ISPR1: 0xe000e204,
  SCB_ICSR: 0xe000ed04, SCB_VTOR: 0xe000ed08,
  GPIOC_CRH: 0x40011004, GPIOC_ODR: 0x4001100c, GPIOA_CRH: 0x40010804,
  USART1_BRR: 0x40013808, USART1_CR1: 0x4001380c, USB_CNTR: 0x40005c40, USB_DADDR: 0x40005c4c,
};

/** Snapshot of REGISTERS (STK_CTRL read without clearing COUNTFLAG: it is peeked from the model). */
export function registers(chip) {
  const out = {};
  for (const [name, addr] of Object.entries(REGISTERS)) {
    out[name] = name === "STK_CTRL" ? chip.systick.ctrl >>> 0 : chip.read32(addr);
  }
  return out;
}

/** registers() without the SysTick counter, which runs on by itself: for "nothing changed" comparisons. */
export function settings(chip) {
  const r = registers(chip);
  delete r.STK_VAL;
  r.STK_CTRL &= 7;   // COUNTFLAG may rise by itself
  return r;
}
