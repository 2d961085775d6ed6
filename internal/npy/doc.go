// Package npy owns the NumPy .npy and .npz formats in qpgo: reading and
// writing .npy arrays (format versions 1.0, 2.0 and 3.0; numeric, bool,
// complex and NumPy string arrays '|S'/'<U'; no pickled objects) as a
// stream (Read, Write) or a whole buffer (Decode, Encode, with a
// single-copy path for little-endian numeric arrays), and the members of
// npz archives (ReadMember inflates one within the memory limits,
// DeflateMember compresses one at numpy's level 6; libdeflate when it
// loads). It serves the test fixtures, which upstream wrote with NumPy, and
// the frame-cache npz style of imageseries, which does only the archive's
// file I/O.
//
// No Go library reads .npy without pulling in a larger dependency, and the
// format is a short text header followed by raw little- or big-endian data.
package npy
