package qpimage

import (
	"qpgo/core/h5"
	"qpgo/core/meta"
)

// SetMeta writes a meta item as a root attribute (`qpi[key] = value`).
func (q *QPImage) SetMeta(key string, value any) error {
	return SetMetaAttr(q.G.Attrs(), meta.Keys, key, value)
}

// HasMeta is `key in qpi`: any root attribute of that name.
func (q *QPImage) HasMeta(key string) bool { return q.G.Attrs().Has(key) }

// GetMeta is `qpi[key]` for a string key: UnknownKey for an invalid key,
// MissingMeta for a valid key that is not set.
func (q *QPImage) GetMeta(key string) (any, error) {
	d, err := q.Meta()
	if err != nil {
		return nil, err
	}
	return d.Get(key)
}

// Meta reads all root attributes into a MetaDict. A foreign attribute makes
// it fail with UnknownKey, as upstream's MetaDict(self.h5.attrs) does.
func (q *QPImage) Meta() (*meta.Dict, error) { return ReadMeta(q.G, meta.Keys) }

// ReadMeta reads the root attributes of g into a dict over valid keys.
func ReadMeta(g *h5.Group, valid []string) (*meta.Dict, error) {
	a := g.Attrs()
	names, err := a.Names()
	if err != nil {
		return nil, err
	}
	d := meta.NewDict(valid)
	for _, n := range names {
		v, err := a.Get(n)
		if err != nil {
			return nil, err
		}
		if b, ok := v.(h5.Bytes); ok {
			v = string(b)
		}
		if err := d.Set(n, v); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// Identifier returns the "identifier" meta value or "".
func (q *QPImage) Identifier() string { return AttrString(q.G.Attrs(), "identifier") }
