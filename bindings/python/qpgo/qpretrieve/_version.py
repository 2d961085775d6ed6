#: the qpretrieve release whose API and numbers this package reproduces
version = "0.3.2"
