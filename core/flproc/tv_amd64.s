#include "textflag.h"

// SSE2 kernel of Chambolle's dual update (tv.go), two pixels per step.
// SSE2 is part of the amd64 baseline. Every lane does the scalar
// operations of tvRowGo in the same order with no fused multiply-add, and
// packed sqrt/div round like the scalar ones (IEEE), so the results are
// bit for bit those of the Go loop; the gain is the divider, which is as
// busy with one scalar DIVSD as with one two-lane DIVPD.

DATA onepd<>+0(SB)/8, $0x3ff0000000000000
DATA onepd<>+8(SB)/8, $0x3ff0000000000000
GLOBL onepd<>(SB), RODATA|NOPTR, $16

// func tvRowSSE2(o, next, q0, q1, sn *float64, n int, tau, tw float64)
// n is even; o must hold n+1 elements, the others n.
TEXT ·tvRowSSE2(SB), NOSPLIT, $0-64
	MOVQ o+0(FP), SI
	MOVQ next+8(FP), DX
	MOVQ q0+16(FP), R8
	MOVQ q1+24(FP), R9
	MOVQ sn+32(FP), R10
	MOVQ n+40(FP), CX
	MOVSD tau+48(FP), X6
	SHUFPD $0, X6, X6
	MOVSD tw+56(FP), X7
	SHUFPD $0, X7, X7
	MOVUPD onepd<>(SB), X8
	XORQ AX, AX
	CMPQ CX, $0
	JLE done
loop:
	MOVUPD (SI)(AX*8), X0  // o[c]
	MOVUPD 8(SI)(AX*8), X1 // o[c+1]
	MOVUPD (DX)(AX*8), X2  // next[c]
	SUBPD X0, X2           // g0 = next[c] - o[c]
	SUBPD X0, X1           // g1 = o[c+1] - o[c]
	MOVAPD X2, X3
	MULPD X2, X3           // g0*g0
	MOVAPD X1, X4
	MULPD X1, X4           // g1*g1
	ADDPD X4, X3
	SQRTPD X3, X3          // nrm
	MOVUPD X3, (R10)(AX*8)
	MULPD X7, X3
	ADDPD X8, X3           // den = nrm*tw + 1
	MULPD X6, X2           // tau*g0
	MULPD X6, X1           // tau*g1
	MOVUPD (R8)(AX*8), X4
	SUBPD X2, X4
	DIVPD X3, X4
	MOVUPD X4, (R8)(AX*8)
	MOVUPD (R9)(AX*8), X5
	SUBPD X1, X5
	DIVPD X3, X5
	MOVUPD X5, (R9)(AX*8)
	ADDQ $2, AX
	CMPQ AX, CX
	JLT loop
done:
	RET

