// Package qpimage owns the QPImage type of qpimage 0.9.3: a quantitative
// phase image (phase and amplitude with their backgrounds) stored as an
// HDF5 group tree, in memory or in a file, with meta data as root
// attributes.
//
// The construction pipeline (which_data conversion, phase processing, the
// quirk that background phase is always processed again), the properties
// (pha, amp, field, bg_*, raw_*), meta data, backgrounds, slicing, copying,
// equality, info and repr follow the upstream semantics listed in
// ../shared/spec/qpimage.md §2.2, §3. Every property is read from HDF5 on
// each call, as upstream does, so views into a series file stay live.
package qpimage
