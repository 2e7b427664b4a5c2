module github.com/libq-rs/libq/go

go 1.24
