module qpgo

go 1.26.8

require (
	gonum.org/v1/gonum v0.17.0
	gopkg.in/yaml.v3 v3.0.1
)

require github.com/pierrec/lz4/v4 v4.1.33
