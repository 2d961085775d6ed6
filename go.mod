module qpgo

go 1.26.8

require (
	gonum.org/v1/gonum v0.17.0 // indirect
	gonum.org/v1/hdf5 v0.0.0-20210714002203-8c5d23bc6946 // indirect
)
