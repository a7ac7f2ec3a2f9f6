@ Enter the STM32F1 system-memory (ST ROM) bootloader from a running application.
@
@ Called by E.nativeCall(1, "int(int,int)", code)(rom, bsrr):
@   r0 = rom:  address of the ROM vector table = the density's system-memory start (0x1FFFF000 on the
@              STM32F103RC of the Espruino Original; RM0008 §3.4, AN2606)
@   r1 = bsrr: bits to set in GPIOC_BSRR (0x2000 on the Original: C13 high, USB D+ pull-up off; 0 elsewhere)
@ Returns only when it refuses, having changed nothing:
@   r0 = the active exception number (IPSR, 1..511) when called in handler mode,
@   r0 = -1 when the code is not on a 4-byte boundary (the literal pool below would be read wrong).
@ Otherwise it never returns: it resets the clocks, SysTick, NVIC and USB, loads MSP from rom[0] and branches
@ to rom[1]. If a clock does not reach the state waited for in 65536 polls, it requests a system reset
@ (SCB_AIRCR.SYSRESETREQ), which restarts Espruino.
@
@ ARMv6-M subset (Cortex-M0/M0+ and the F103's Cortex-M3 both run it): no MOVW/MOVT/CBZ/IT/wide offsets.
@ 32-bit constants come from the PC-relative literal pool at the end (position independent at any 4-byte
@ aligned address). No stack, no RAM or flash writes. Registers: PM0056 (Cortex-M3 programming manual)
@ §4.3 NVIC, §4.4 SCB, §4.5 SysTick; RM0008 §7.3 RCC, §9.2 GPIO.
@
@ Assemble (tools/assemble-bootloader.js does this and writes routine.ts):
@   arm-none-eabi-as -mcpu=cortex-m0 -mthumb -o enter.o enter-system-bootloader.S
@   arm-none-eabi-objcopy -O binary -j .text enter.o enter.bin

        .syntax unified
        .cpu    cortex-m0
        .thumb
        .text
        .global enter_system_bootloader
        .type   enter_system_bootloader, %function
enter_system_bootloader:
        mrs     r2, ipsr                @ handler mode? (IPSR != 0)
        cmp     r2, #0
        bne     refuse_handler
        mov     r2, pc                  @ r2 = start + 12 (this is at offset 8; PC reads 4 ahead)
        lsls    r2, r2, #30             @ Z = start on a 4-byte boundary
        bne     refuse_unaligned
        cpsid   i                       @ PRIMASK = 1: no interrupt from here on

        @ SysTick off: STK_CTRL, STK_LOAD, STK_VAL = 0
        ldr     r3, =0xE000E010
        movs    r2, #0
        str     r2, [r3]
        str     r2, [r3, #4]
        str     r2, [r3, #8]

        @ NVIC: disable and un-pend IRQ 0..95 (ICER0-2 at 0xE000E180, ICPR0-2 at 0xE000E280)
        subs    r2, r2, #1              @ r2 = 0xFFFFFFFF
        ldr     r3, =0xE000E180
        str     r2, [r3]
        str     r2, [r3, #4]
        str     r2, [r3, #8]
        adds    r3, #128
        adds    r3, #128
        str     r2, [r3]
        str     r2, [r3, #4]
        str     r2, [r3, #8]

        @ SCB_ICSR: PENDSTCLR | PENDSVCLR (SysTick and PendSV no longer pending)
        ldr     r3, =0xE000ED04
        ldr     r2, =0x0A000000
        str     r2, [r3]

        @ USB: D+ pull-up off (GPIOC_BSRR), macrocell reset pulse (RCC_APB1RSTR.USBRST) and clock off (USBEN)
        ldr     r3, =0x40011010
        str     r1, [r3]
        ldr     r3, =0x40021000         @ RCC base; r3 stays RCC from here on
        movs    r2, #1
        lsls    r2, r2, #23             @ bit 23: USBRST / USBEN
        ldr     r4, [r3, #0x10]         @ RCC_APB1RSTR
        orrs    r4, r2
        str     r4, [r3, #0x10]
        bics    r4, r2
        str     r4, [r3, #0x10]
        ldr     r4, [r3, #0x1c]         @ RCC_APB1ENR
        bics    r4, r2
        str     r4, [r3, #0x1c]

        @ USART1 reset pulse (RCC_APB2RSTR.USART1RST, bit 14): no stale byte in front of the host's 0x7F
        movs    r2, #1
        lsls    r2, r2, #14
        ldr     r4, [r3, #0x0c]
        orrs    r4, r2
        str     r4, [r3, #0x0c]
        bics    r4, r2
        str     r4, [r3, #0x0c]

        @ Clocks back to the reset state the ROM expects (HSI, PLL off), as StdPeriph RCC_DeInit with waits:
        @ 1. RCC_CR.HSION = 1, wait for HSIRDY
        ldr     r4, [r3]
        movs    r5, #1
        orrs    r4, r5
        str     r4, [r3]
        movs    r6, #0                  @ register: RCC_CR
        movs    r5, #2                  @ mask: HSIRDY
        movs    r7, #2                  @ wanted: set
        bl      wait
        @ 2. RCC_CFGR &= 0xF8FF0000: SW = HSI, HPRE/PPRE1/PPRE2/ADCPRE /1, MCO off; wait for SWS = HSI
        ldr     r4, [r3, #4]
        ldr     r2, =0xF8FF0000
        ands    r4, r2
        str     r4, [r3, #4]
        movs    r6, #4                  @ register: RCC_CFGR
        movs    r5, #12                 @ mask: SWS
        movs    r7, #0                  @ wanted: HSI
        bl      wait
        @ 3. RCC_CR: HSEON, CSSON, PLLON off, then HSEBYP off; wait for PLLRDY = HSERDY = 0
        ldr     r4, [r3]
        ldr     r2, =0xFEF6FFFF
        ands    r4, r2
        str     r4, [r3]
        ldr     r2, =0xFFFBFFFF
        ands    r4, r2
        str     r4, [r3]
        movs    r6, #0
        ldr     r5, =0x02020000         @ mask: PLLRDY | HSERDY
        movs    r7, #0
        bl      wait
        @ 4. RCC_CFGR: PLLSRC, PLLXTPRE, PLLMUL, USBPRE = 0 (writable now that PLLON = 0)
        ldr     r4, [r3, #4]
        ldr     r2, =0xFF80FFFF
        ands    r4, r2
        str     r4, [r3, #4]
        @ 5. RCC_CIR: clock interrupts off, ready flags cleared
        ldr     r2, =0x009F0000
        str     r2, [r3, #8]

        @ SCB_VTOR = the ROM's vector table; CONTROL = 0 (MSP, privileged)
        ldr     r3, =0xE000ED08
        str     r0, [r3]
        movs    r2, #0
        msr     control, r2
        isb

        @ MSP = rom[0]; branch to rom[1] (Thumb bit forced)
        ldr     r2, [r0]
        ldr     r3, [r0, #4]
        msr     msp, r2
        movs    r4, #1
        orrs    r3, r4
        bx      r3

refuse_handler:
        movs    r0, r2                  @ r0 = IPSR
        bx      lr
refuse_unaligned:
        movs    r0, #0
        subs    r0, r0, #1              @ r0 = -1
        bx      lr

@ wait: poll RCC[r6] until (RCC[r6] & r5) == r7, at most 65536 times. r3 = RCC base; uses r2, r4.
@ On time-out: system reset (SCB_AIRCR = VECTKEY 0x05FA | SYSRESETREQ), Espruino restarts.
wait:
        movs    r2, #1
        lsls    r2, r2, #16
wait_poll:
        ldr     r4, [r3, r6]
        ands    r4, r5
        cmp     r4, r7
        beq     wait_done
        subs    r2, r2, #1
        bne     wait_poll
        ldr     r3, =0xE000ED0C
        ldr     r2, =0x05FA0004
        dsb
        str     r2, [r3]
        dsb
wait_reset:
        b       wait_reset
wait_done:
        bx      lr

        .align  2
        .ltorg
        .size   enter_system_bootloader, . - enter_system_bootloader
