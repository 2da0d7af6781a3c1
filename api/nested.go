package api

import (
	"context"
	"net/http"

	"github.com/gofive-go/gofive/api/wire"
)

// callJSONNested is callJSON for the documented nested variant whose data carries a business
// code of its own (Add Case: {"status":{…},"data":{"data":{…},"statusCode":1000,
// "httpStatusCode":200}}): a success outside with a failure inside is still a failure.
// innerCode returns the inner statusCode, nil when absent.
func callJSONNested[T any](c *Client, ctx context.Context, operationID string, req *http.Request, innerCode func(T) *int) (T, error) {
	var zero T
	data, info, body, err := callDataInfo[T](c, ctx, operationID, req)
	if err != nil {
		return zero, err
	}
	if code := innerCode(data); code != nil && !wire.NumberCode(*code).IsSuccess() {
		return zero, businessError(info, wire.NumberCode(*code), "", body)
	}
	return data, nil
}
