#include "textflag.h"

// AVX2 kernels for uint16 frames, used when the CPU and OS support AVX2
// (haveAVX2); n is a multiple of 16, the Go callers handle the tail.

// func maxU16AVX2(acc, x *uint16, n int)
TEXT ·maxU16AVX2(SB), NOSPLIT, $0-24
	MOVQ acc+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
avxmax32:
	CMPQ CX, $32
	JLT avxmax16
	VMOVDQU (DI), Y0
	VMOVDQU 32(DI), Y1
	VPMAXUW (SI), Y0, Y0
	VPMAXUW 32(SI), Y1, Y1
	VMOVDQU Y0, (DI)
	VMOVDQU Y1, 32(DI)
	ADDQ $64, DI
	ADDQ $64, SI
	SUBQ $32, CX
	JMP avxmax32
avxmax16:
	CMPQ CX, $16
	JLT avxmaxdone
	VMOVDQU (DI), Y0
	VPMAXUW (SI), Y0, Y0
	VMOVDQU Y0, (DI)
avxmaxdone:
	VZEROUPPER
	RET

// func minU16AVX2(acc, x *uint16, n int)
TEXT ·minU16AVX2(SB), NOSPLIT, $0-24
	MOVQ acc+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
avxmin32:
	CMPQ CX, $32
	JLT avxmin16
	VMOVDQU (DI), Y0
	VMOVDQU 32(DI), Y1
	VPMINUW (SI), Y0, Y0
	VPMINUW 32(SI), Y1, Y1
	VMOVDQU Y0, (DI)
	VMOVDQU Y1, 32(DI)
	ADDQ $64, DI
	ADDQ $64, SI
	SUBQ $32, CX
	JMP avxmin32
avxmin16:
	CMPQ CX, $16
	JLT avxmindone
	VMOVDQU (DI), Y0
	VPMINUW (SI), Y0, Y0
	VMOVDQU Y0, (DI)
avxmindone:
	VZEROUPPER
	RET

// func addU16I32AVX2(acc *int32, x *uint16, n int)
TEXT ·addU16I32AVX2(SB), NOSPLIT, $0-24
	MOVQ acc+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
avxadd16:
	CMPQ CX, $16
	JLT avxadddone
	VPMOVZXWD (SI), Y1
	VPMOVZXWD 16(SI), Y2
	VPADDD (DI), Y1, Y1
	VPADDD 32(DI), Y2, Y2
	VMOVDQU Y1, (DI)
	VMOVDQU Y2, 32(DI)
	ADDQ $64, DI
	ADDQ $32, SI
	SUBQ $16, CX
	JMP avxadd16
avxadddone:
	VZEROUPPER
	RET

// func cpuAVX2() bool: AVX2 in CPUID and YMM state enabled by the OS.
TEXT ·cpuAVX2(SB), NOSPLIT, $0-1
	MOVL $1, AX
	XORL CX, CX
	CPUID
	MOVL CX, R8
	ANDL $0x18000000, R8 // OSXSAVE (bit 27) and AVX (bit 28)
	CMPL R8, $0x18000000
	JNE noavx2
	XORL CX, CX
	XGETBV // XCR0 in EDX:EAX
	ANDL $6, AX // XMM and YMM state
	CMPL AX, $6
	JNE noavx2
	MOVL $7, AX
	XORL CX, CX
	CPUID
	ANDL $0x20, BX // AVX2 (leaf 7, EBX bit 5)
	JZ noavx2
	MOVB $1, ret+0(FP)
	RET
noavx2:
	MOVB $0, ret+0(FP)
	RET

// The 4-frame forms fold four frames into acc in one pass over it: acc is
// loaded and stored once per four frames (the frames stream from memory).

// func addU16I32x4AVX2(acc *int32, x0, x1, x2, x3 *uint16, n int)
TEXT ·addU16I32x4AVX2(SB), NOSPLIT, $0-48
	MOVQ acc+0(FP), DI
	MOVQ x0+8(FP), R8
	MOVQ x1+16(FP), R9
	MOVQ x2+24(FP), R10
	MOVQ x3+32(FP), R11
	MOVQ n+40(FP), CX
	XORQ SI, SI
add4loop:
	CMPQ CX, $16
	JLT add4done
	VPMOVZXWD (R8)(SI*1), Y0
	VPMOVZXWD 16(R8)(SI*1), Y1
	VPMOVZXWD (R9)(SI*1), Y2
	VPMOVZXWD 16(R9)(SI*1), Y3
	VPADDD Y2, Y0, Y0
	VPADDD Y3, Y1, Y1
	VPMOVZXWD (R10)(SI*1), Y2
	VPMOVZXWD 16(R10)(SI*1), Y3
	VPADDD Y2, Y0, Y0
	VPADDD Y3, Y1, Y1
	VPMOVZXWD (R11)(SI*1), Y2
	VPMOVZXWD 16(R11)(SI*1), Y3
	VPADDD Y2, Y0, Y0
	VPADDD Y3, Y1, Y1
	VPADDD (DI), Y0, Y0
	VPADDD 32(DI), Y1, Y1
	VMOVDQU Y0, (DI)
	VMOVDQU Y1, 32(DI)
	ADDQ $64, DI
	ADDQ $32, SI
	SUBQ $16, CX
	JMP add4loop
add4done:
	VZEROUPPER
	RET

// FOLD4(op, loop, done): acc = op(acc, x0, x1, x2, x3), 16 elements a step.
#define FOLD4(op, loop, done) \
	MOVQ acc+0(FP), DI \
	MOVQ x0+8(FP), R8 \
	MOVQ x1+16(FP), R9 \
	MOVQ x2+24(FP), R10 \
	MOVQ x3+32(FP), R11 \
	MOVQ n+40(FP), CX \
	XORQ SI, SI \
loop: \
	CMPQ CX, $16 \
	JLT done \
	VMOVDQU (R8)(SI*1), Y0 \
	VMOVDQU (R9)(SI*1), Y1 \
	op (R10)(SI*1), Y0, Y0 \
	op (R11)(SI*1), Y1, Y1 \
	op Y1, Y0, Y0 \
	op (DI)(SI*1), Y0, Y0 \
	VMOVDQU Y0, (DI)(SI*1) \
	ADDQ $32, SI \
	SUBQ $16, CX \
	JMP loop \
done: \
	VZEROUPPER \
	RET

// func maxU16x4AVX2(acc, x0, x1, x2, x3 *uint16, n int)
TEXT ·maxU16x4AVX2(SB), NOSPLIT, $0-48
	FOLD4(VPMAXUW, max4loop, max4done)

// func minU16x4AVX2(acc, x0, x1, x2, x3 *uint16, n int)
TEXT ·minU16x4AVX2(SB), NOSPLIT, $0-48
	FOLD4(VPMINUW, min4loop, min4done)
