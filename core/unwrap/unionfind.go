package unwrap

// node is one pixel of the union-find. For a non-root, parent ≥ 0 and off
// is the pixel's increment minus its parent's. For a root, parent is -size
// of its group and its increment is 0, like the head of a skimage group,
// which is never shifted while it is a head. Eight bytes per pixel keep the
// random accesses of the join loop cache friendly.
type node struct {
	parent, off int32
}

type unionFind []node

func newUnionFind(n int) unionFind {
	u := make(unionFind, n)
	for i := range u {
		u[i].parent = -1
	}
	return u
}

// find returns x's root and x's increment, compressing the path.
func (u unionFind) find(x int32) (root, inc int32) {
	r, s := x, int32(0)
	for u[r].parent >= 0 {
		s += u[r].off
		r = u[r].parent
	}
	for y, acc := x, s; y != r; {
		next, o := u[y].parent, u[y].off
		u[y].parent, u[y].off = r, acc
		acc -= o
		y = next
	}
	return r, s
}

// join merges the groups of p1 and p2 so that inc(p2) = inc(p1) - e, by
// skimage's rule for which group is shifted: p2 if it is alone, else p1 if
// it is alone, else p2's group if p1's is strictly larger, else p1's.
func (u unionFind) join(p1, p2, e int32) {
	r1, i1 := u.find(p1)
	r2, i2 := u.find(p2)
	if r1 == r2 {
		return
	}
	s1, s2 := -u[r1].parent, -u[r2].parent
	if s2 == 1 || s1 > s2 {
		u[r1].parent = -(s1 + s2)
		u[r2].parent, u[r2].off = r1, i1-e-i2
		return
	}
	u[r2].parent = -(s1 + s2)
	u[r1].parent, u[r1].off = r2, i2+e-i1
}
