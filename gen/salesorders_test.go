package gen

import (
	"encoding/json"
	"testing"
)

func TestSalesOrdersObjectOrList(t *testing.T) {
	tests := []struct {
		in      string
		want    []string // order numbers; nil = nil list
		wantErr bool
	}{
		{`{"salesOrderNo":"SO1"}`, []string{"SO1"}, false},
		{`[{"salesOrderNo":"SO1"},{"salesOrderNo":"SO2"}]`, []string{"SO1", "SO2"}, false},
		{`[]`, []string{}, false},
		{`null`, nil, false},
		{`"SO1"`, nil, true},
		{`{"salesOrderNo":5}`, nil, true},
	}
	for _, tt := range tests {
		var env struct {
			Data SalesOrders `json:"data"`
		}
		err := json.Unmarshal([]byte(`{"data":`+tt.in+`}`), &env)
		if (err != nil) != tt.wantErr {
			t.Fatalf("%s: err = %v, want error %v", tt.in, err, tt.wantErr)
		}
		if tt.wantErr {
			continue
		}
		if (env.Data == nil) != (tt.want == nil) || len(env.Data) != len(tt.want) {
			t.Fatalf("%s: got %d orders (nil %v), want %v", tt.in, len(env.Data), env.Data == nil, tt.want)
		}
		for i, no := range tt.want {
			if env.Data[i].SalesOrderNo != no {
				t.Errorf("%s: order %d is %q, want %q", tt.in, i, env.Data[i].SalesOrderNo, no)
			}
		}
	}
}
