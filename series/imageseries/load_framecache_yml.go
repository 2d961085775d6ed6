package imageseries

import (
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"

	"qpgo/core/qperr"
	"qpgo/internal/npy"
)

// yamlToGo converts a decoded YAML value to metadata types (int -> int64).
func yamlToGo(v any) any {
	switch x := v.(type) {
	case int:
		return int64(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = yamlToGo(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = yamlToGo(e)
		}
		return out
	}
	return v
}

// yamlMeta applies hexrd's load/metadata.py yamlmeta rules to a YAML mapping
// node, visiting keys in file order:
//   - "! load-numpy-array F" loads F relative to dir (dir "" = the working
//     directory, as upstream);
//   - any other "! word ..." trigger drops the key;
//   - "++np.array" (obsolete) takes np.array of key+"-array" and drops that
//     key from the result — so a later "<key>-array" entry is added back.
func yamlMeta(node *yaml.Node, dir string) (Metadata, error) {
	meta := Metadata{}
	if node == nil || node.Kind == 0 {
		return nil, qperr.New(qperr.NotFound, "YAML has no 'meta' entry")
	}
	if node.Kind == yaml.ScalarNode && node.Tag == "!!null" {
		return nil, qperr.New(qperr.BadArgument, "YAML 'meta' is empty (null), expected a mapping")
	}
	if node.Kind != yaml.MappingNode {
		return nil, qperr.New(qperr.BadArgument, "YAML 'meta' is not a mapping")
	}
	raw := map[string]any{}
	var order []string
	for k := 0; k+1 < len(node.Content); k += 2 {
		key := node.Content[k].Value
		var v any
		if err := node.Content[k+1].Decode(&v); err != nil {
			return nil, qperr.Wrap(qperr.BadArgument, err, "meta %s: %v", key, err)
		}
		raw[key] = yamlToGo(v)
		order = append(order, key)
	}
	for _, k := range order {
		v := raw[k]
		s, isStr := v.(string)
		if isStr && s == "++np.array" {
			src, ok := raw[k+"-array"]
			if !ok {
				return nil, qperr.New(qperr.NotFound, "meta %s: '++np.array' needs a '%s-array' entry", k, k)
			}
			lst, _ := src.([]any)
			a, ok := listToArray(lst)
			if !ok {
				return nil, qperr.New(qperr.BadArgument, "meta %s-array is not a list of numbers or strings", k)
			}
			meta[k] = a
			delete(meta, k+"-array")
			continue
		}
		if isStr {
			words := strings.Fields(s)
			if len(words) > 1 && words[0] == "!" {
				if words[1] == "load-numpy-array" {
					if len(words) < 3 {
						return nil, qperr.New(qperr.BadArgument, "meta %s: load-numpy-array needs a file name", k)
					}
					p := words[2]
					if !filepath.IsAbs(p) { // os.path.join keeps an absolute path
						p = filepath.Join(dir, p)
					}
					a, err := loadNpyFile(p)
					if err != nil {
						return nil, err
					}
					meta[k] = a
				}
				continue
			}
		}
		meta[k] = v
	}
	return meta, nil
}

func loadNpyFile(path string) (any, error) {
	b, err := readRegularFile(path)
	if err != nil {
		return nil, err
	}
	a, err := npy.Decode(b)
	if err != nil {
		return nil, qperr.Wrap(qperr.IO, err, "%s: %v", path, err)
	}
	return a, nil
}

// mapValue finds key in a YAML mapping node.
func mapValue(node *yaml.Node, key string) *yaml.Node {
	if node == nil || node.Kind != yaml.MappingNode {
		return nil
	}
	for k := 0; k+1 < len(node.Content); k += 2 {
		if node.Content[k].Value == key {
			return node.Content[k+1]
		}
	}
	return nil
}

func parseYAMLDoc(b []byte, what string) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, qperr.Wrap(qperr.BadArgument, err, "%s: invalid YAML: %v", what, err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, qperr.New(qperr.BadArgument, "%s: YAML document is not a mapping", what)
	}
	return doc.Content[0], nil
}

// openYMLCache opens the deprecated YAML frame cache (§2.4).
func openYMLCache(name string) (_ ImageSeries, err error) {
	defer func() { err = qperr.Named(err, name) }() // every message is ours
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, qperr.Wrap(qperr.IO, err, "%v", err)
	}
	root, err := parseYAMLDoc(b, name)
	if err != nil {
		return nil, err
	}
	dn := mapValue(root, "data")
	if dn == nil {
		return nil, qperr.New(qperr.NotFound, "frame-cache YAML has no 'data' entry")
	}
	var d struct {
		File    string `yaml:"file"`
		DType   string `yaml:"dtype"`
		NFrames int    `yaml:"nframes"`
		Shape   []int  `yaml:"shape"`
	}
	if err := dn.Decode(&d); err != nil {
		return nil, qperr.Wrap(qperr.BadArgument, err, "frame-cache YAML data: %v", err)
	}
	if d.File == "" || len(d.Shape) != 2 || d.Shape[0] < 0 || d.Shape[1] < 0 || d.NFrames < 0 {
		return nil, qperr.New(qperr.BadArgument, "frame-cache YAML data needs file, dtype, nframes and a 2-d shape")
	}
	dt, _, err := ParseDType(d.DType)
	if err != nil {
		return nil, err
	}
	// metadata files are relative to the directory of the cache name as
	// written (i.e. to the working directory), as upstream.
	meta, err := yamlMeta(mapValue(root, "meta"), filepath.Dir(d.File))
	if err != nil {
		return nil, err
	}
	cache := d.File
	if !filepath.IsAbs(cache) {
		cache = filepath.Join(filepath.Dir(name), cache)
	}
	f, zr, members, err := openZip(cache)
	if err != nil {
		return nil, err
	}
	if err := checkCacheHeader(cache, d.NFrames, d.Shape[0], d.Shape[1], dt, len(zr.File), 0); err != nil {
		f.Close()
		return nil, err
	}
	c := &FrameCache{f: f, zr: zr, members: members}
	c.initSparse("frame cache "+cache, d.NFrames, d.Shape[0], d.Shape[1], dt, meta, c.readSparse, -2)
	c.readAhead = true
	c.shareMemo(cache, "")
	return c, nil
}
