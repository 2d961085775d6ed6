#include "textflag.h"

// func gtMaskU16SSE2(x *uint16, n int, t uint16, masks *uint64)
// For each group of 64 elements of x[:n] (n a multiple of 64), one word of
// masks with bit b set when element b of the group is > t (unsigned: both
// sides are offset by 0x8000 and compared signed).
TEXT ·gtMaskU16SSE2(SB), NOSPLIT, $0-32
	MOVQ x+0(FP), SI
	MOVQ n+8(FP), CX
	MOVWLZX t+16(FP), AX
	MOVQ masks+24(FP), DI
	XORL $0x8000, AX
	MOVQ AX, X6
	PSHUFLW $0, X6, X6
	PUNPCKLQDQ X6, X6
	MOVL $0x80008000, AX
	MOVQ AX, X7
	PSHUFD $0, X7, X7
	SHRQ $6, CX
loop:
	TESTQ CX, CX
	JZ done
	MOVOU 0(SI), X0
	MOVOU 16(SI), X1
	MOVOU 32(SI), X2
	MOVOU 48(SI), X3
	PXOR X7, X0
	PXOR X7, X1
	PXOR X7, X2
	PXOR X7, X3
	PCMPGTW X6, X0
	PCMPGTW X6, X1
	PCMPGTW X6, X2
	PCMPGTW X6, X3
	PACKSSWB X1, X0
	PACKSSWB X3, X2
	PMOVMSKB X0, AX
	PMOVMSKB X2, BX
	SHLQ $16, BX
	ORQ BX, AX
	MOVOU 64(SI), X0
	MOVOU 80(SI), X1
	MOVOU 96(SI), X2
	MOVOU 112(SI), X3
	PXOR X7, X0
	PXOR X7, X1
	PXOR X7, X2
	PXOR X7, X3
	PCMPGTW X6, X0
	PCMPGTW X6, X1
	PCMPGTW X6, X2
	PCMPGTW X6, X3
	PACKSSWB X1, X0
	PACKSSWB X3, X2
	PMOVMSKB X0, DX
	PMOVMSKB X2, BX
	SHLQ $16, BX
	ORQ BX, DX
	SHLQ $32, DX
	ORQ DX, AX
	MOVQ AX, (DI)
	ADDQ $128, SI
	ADDQ $8, DI
	DECQ CX
	JMP loop
done:
	RET
