package main

import "qpgo/core/meta"

func isMetaKey(k string) bool { return meta.NewDict(meta.Keys).Valid(k) }
