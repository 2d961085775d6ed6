// Package flimage owns the FLImage type of flimage 0.3.3: a fluorescence
// image stored as an HDF5 group tree (in memory or in a file) with meta data
// as root attributes, mirroring qpgo/core/qpimage.
//
// Layout (flimage.md §2.1): root attributes = meta data (keys of
// meta.KeysFL) + "qpimage version" + "flimage version" (written only when
// absent, so copies keep the creator's versions); group "fluorescence" with
// dataset "raw" (h5dtype, float32 by default) and group "bg_data" with the
// optional background "data" (and "fit" from EstimateBG). On disk every
// image dataset is one chunk, deflate 9 + Fletcher-32 and carries the
// HDFView IMAGE attributes; in memory (core driver) datasets are contiguous
// and bare, exactly as upstream's write_image_dataset.
//
// Properties are read from HDF5 on every call, so an FLImage bound to a
// member group of a series file is a live view.
//
// Upstream defects (flimage.md §5) are not reproduced:
//   - F1: data are plain []float64 with a shape; lists work as documented.
//   - F2: Slice carries the background over (folded into one "data"
//     background of the slice), so Slice(...).Fl() == Fl()[slice].
//   - F3: a missing valid meta key is qperr.MissingMeta with upstream's
//     MetaDataMissingError text.
//
// Other documented choices: bool input data are not supported (the input is
// float64 and stored as h5dtype); an FLImage whose file has foreign root
// attributes fails in Meta with UnknownKey, as upstream's FLMetaDict does.
package flimage
