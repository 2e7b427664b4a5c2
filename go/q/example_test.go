package q_test

import (
	"context"
	"fmt"
	"time"

	"github.com/libq-rs/libq/go/q"
)

func ExampleEval() {
	ctx := context.Background()
	k, err := q.Eval(ctx, "{x+til y}", 10, 3)
	if err != nil {
		panic(err)
	}
	defer k.Release()
	v, _ := k.Int64s() // a view of the q vector, no copy
	fmt.Println(v, k)
	// Output: [10 11 12] 10 11 12
}

func ExampleEvalAs() {
	ctx := context.Background()
	type trade struct {
		Sym   string    `q:"sym"`
		Price float64   `q:"price"`
		Time  time.Time `q:"time"`
	}
	in := []trade{
		{"ibm", 101.5, time.Date(2024, 1, 2, 9, 30, 0, 0, time.UTC)},
		{"msft", 410.25, time.Date(2024, 1, 2, 9, 31, 0, 0, time.UTC)},
	}
	out, err := q.EvalAs[[]trade](ctx, "{select from x where price>200}", in)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%+v\n", out)
	// Output: [{Sym:msft Price:410.25 Time:2024-01-02 09:31:00 +0000 UTC}]
}

func ExampleError() {
	_, err := q.Eval(context.Background(), "1+`a")
	fmt.Println(err)
	// Output: 'type
}

func ExampleDial() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	c, err := q.Dial(ctx, "localhost:5000")
	if err != nil {
		fmt.Println("no server")
		return
	}
	defer c.Close()
	k, err := c.Call(ctx, "til", 5)
	fmt.Println(k, err)
}
