package gen

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// SalesOrders is the data of Get a SalesOrder By SalesOrderNo. The docs' schema types it as
// one sales order and one docs example as an array of them; both decode into SalesOrders (one
// object becomes a list of one), so every sales-order read yields [SalesOrder] values. JSON
// null leaves it nil. Handwritten (the spec names it with x-go-type): oapi-codegen would
// generate a union with As/From methods instead.
type SalesOrders []SalesOrder

// UnmarshalJSON accepts one sales order object, an array of them, or null.
func (l *SalesOrders) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	switch {
	case len(data) == 0:
		return fmt.Errorf("gen: SalesOrders: empty JSON value")
	case bytes.Equal(data, []byte("null")):
		*l = nil
		return nil
	case data[0] == '[':
		var list []SalesOrder
		if err := json.Unmarshal(data, &list); err != nil {
			return err
		}
		if list == nil {
			list = []SalesOrder{}
		}
		*l = list
		return nil
	case data[0] == '{':
		var one SalesOrder
		if err := json.Unmarshal(data, &one); err != nil {
			return err
		}
		*l = SalesOrders{one}
		return nil
	}
	return fmt.Errorf("gen: SalesOrders: want an object or an array, got %.20s", data)
}
