#include "textflag.h"

// SSE2 kernels for uint16 frames (SSE2 is part of the amd64 baseline).
// n is the number of elements to process, a multiple of 8; the Go callers
// handle the tail.

DATA flip16<>+0(SB)/8, $0x8000800080008000
DATA flip16<>+8(SB)/8, $0x8000800080008000
GLOBL flip16<>(SB), RODATA|NOPTR, $16

// func maxU16SSE2(acc, x *uint16, n int)
TEXT ·maxU16SSE2(SB), NOSPLIT, $0-24
	MOVQ acc+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	MOVOU flip16<>(SB), X7
maxloop:
	CMPQ CX, $16
	JLT maxtail
	MOVOU (DI), X0
	MOVOU 16(DI), X2
	MOVOU (SI), X1
	MOVOU 16(SI), X3
	PXOR X7, X0
	PXOR X7, X1
	PXOR X7, X2
	PXOR X7, X3
	PMAXSW X1, X0
	PMAXSW X3, X2
	PXOR X7, X0
	PXOR X7, X2
	MOVOU X0, (DI)
	MOVOU X2, 16(DI)
	ADDQ $32, DI
	ADDQ $32, SI
	SUBQ $16, CX
	JMP maxloop
maxtail:
	CMPQ CX, $8
	JLT maxdone
	MOVOU (DI), X0
	MOVOU (SI), X1
	PXOR X7, X0
	PXOR X7, X1
	PMAXSW X1, X0
	PXOR X7, X0
	MOVOU X0, (DI)
maxdone:
	RET

// func minU16SSE2(acc, x *uint16, n int)
TEXT ·minU16SSE2(SB), NOSPLIT, $0-24
	MOVQ acc+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	MOVOU flip16<>(SB), X7
minloop:
	CMPQ CX, $16
	JLT mintail
	MOVOU (DI), X0
	MOVOU 16(DI), X2
	MOVOU (SI), X1
	MOVOU 16(SI), X3
	PXOR X7, X0
	PXOR X7, X1
	PXOR X7, X2
	PXOR X7, X3
	PMINSW X1, X0
	PMINSW X3, X2
	PXOR X7, X0
	PXOR X7, X2
	MOVOU X0, (DI)
	MOVOU X2, 16(DI)
	ADDQ $32, DI
	ADDQ $32, SI
	SUBQ $16, CX
	JMP minloop
mintail:
	CMPQ CX, $8
	JLT mindone
	MOVOU (DI), X0
	MOVOU (SI), X1
	PXOR X7, X0
	PXOR X7, X1
	PMINSW X1, X0
	PXOR X7, X0
	MOVOU X0, (DI)
mindone:
	RET

// func addU16I32SSE2(acc *int32, x *uint16, n int)
TEXT ·addU16I32SSE2(SB), NOSPLIT, $0-24
	MOVQ acc+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	PXOR X6, X6
addloop:
	CMPQ CX, $8
	JLT adddone
	MOVOU (SI), X1
	MOVO X1, X2
	PUNPCKLWL X6, X1
	PUNPCKHWL X6, X2
	MOVOU (DI), X3
	MOVOU 16(DI), X4
	PADDL X1, X3
	PADDL X2, X4
	MOVOU X3, (DI)
	MOVOU X4, 16(DI)
	ADDQ $32, DI
	ADDQ $16, SI
	SUBQ $8, CX
	JMP addloop
adddone:
	RET

// func firstGTU16SSE2(x *uint16, n int, t uint16) int
// Index (a multiple of 8) of the first 8-element block of x[:n] holding a
// value > t; the largest multiple of 8 <= n if there is none.
TEXT ·firstGTU16SSE2(SB), NOSPLIT, $0-32
	MOVQ x+0(FP), SI
	MOVQ n+8(FP), CX
	MOVWLZX t+16(FP), AX
	XORL $0x8000, AX
	MOVQ AX, X6
	PSHUFLW $0, X6, X6
	PUNPCKLQDQ X6, X6
	MOVOU flip16<>(SB), X7
	XORQ DX, DX
gt16:
	LEAQ 16(DX), BX
	CMPQ BX, CX
	JGT gt8
	MOVOU (SI)(DX*2), X0
	MOVOU 16(SI)(DX*2), X1
	PXOR X7, X0
	PXOR X7, X1
	PCMPGTW X6, X0
	PCMPGTW X6, X1
	MOVO X0, X2
	POR X1, X2
	PMOVMSKB X2, AX
	TESTL AX, AX
	JNZ gthit
	MOVQ BX, DX
	JMP gt16
gthit:
	PMOVMSKB X0, AX
	TESTL AX, AX
	JNZ gtdone
	ADDQ $8, DX
	JMP gtdone
gt8:
	LEAQ 8(DX), BX
	CMPQ BX, CX
	JGT gtdone
	MOVOU (SI)(DX*2), X0
	PXOR X7, X0
	PCMPGTW X6, X0
	PMOVMSKB X0, AX
	TESTL AX, AX
	JNZ gtdone
	MOVQ BX, DX
gtdone:
	MOVQ DX, ret+24(FP)
	RET
