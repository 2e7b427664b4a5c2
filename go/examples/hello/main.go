// A small Go host: rows of a Go struct into a q table, a query, the answer decoded into
// a struct of columns.
package main

import (
	"context"
	"fmt"
	"log"

	"github.com/libq-rs/libq/go/q"
)

type trade struct {
	Sym   string  `q:"sym"`
	Price float64 `q:"price"`
	Size  int64   `q:"size"`
}

func main() {
	ctx := context.Background()
	trades := []trade{{"ibm", 101.5, 100}, {"msft", 410.25, 200}, {"ibm", 102.0, 300}}
	k, err := q.Eval(ctx, "{0!select vwap:size wavg price by sym from x}", trades)
	if err != nil {
		log.Fatal(err)
	}
	defer k.Release()
	var vwap struct {
		Sym  []string  `q:"sym"`
		Vwap []float64 `q:"vwap"`
	}
	if err := k.Decode(&vwap); err != nil {
		log.Fatal(err)
	}
	fmt.Println(vwap.Sym, vwap.Vwap)
	fmt.Println(k)
}
