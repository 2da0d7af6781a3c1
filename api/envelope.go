package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/gofive-go/gofive/api/wire"
)

// envelope is the Gofive response wrapper:
//
//	{"status":{"code":"1000","description":"Success"},"data":…}
//
// Some operations leave out status, or put a numeric statusCode (and
// httpStatusCode) at the top level instead; all of these decode into it.
type envelope[T any] struct {
	Status         *envelopeStatus `json:"status"`
	Data           T               `json:"data"`
	StatusCode     *wire.Code      `json:"statusCode"`
	HTTPStatusCode *int            `json:"httpStatusCode"`
}

// envelopeStatus is the envelope's business status. Code 1000 ([wire.CodeSuccess])
// means success; 4001 one error and 4002 several.
type envelopeStatus struct {
	Code        wire.Code `json:"code"`
	Description string    `json:"description"`
}

// statusOnly is the fallback decode when Data does not fit T.
type statusOnly struct {
	Status     *envelopeStatus `json:"status"`
	StatusCode *wire.Code      `json:"statusCode"`
}

// decodeEnvelope decodes body once into envelope[T] and returns its data, or
// the business error when the envelope does not report success.
func decodeEnvelope[T any](info callInfo, body []byte) (T, error) {
	var env envelope[T]
	if err := decodeEnvelopeInto(info, body, &env); err != nil {
		var zero T
		return zero, err
	}
	return env.Data, nil
}

func decodeEnvelopeInto[T any](info callInfo, body []byte, env *envelope[T]) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return newDecodeError(info, body, errors.New("empty body, want a JSON envelope"))
	}
	if err := json.Unmarshal(body, env); err != nil {
		// data did not fit T: a failed call often carries other data, so
		// report the business error if there is one.
		var st statusOnly
		if json.Unmarshal(body, &st) == nil {
			if berr := checkStatus(info, st.Status, st.StatusCode, body); berr != nil {
				return berr
			}
		}
		return newDecodeError(info, body, err)
	}
	return checkStatus(info, env.Status, env.StatusCode, body)
}

// checkStatus applies the success rule: status.code is 1000 when status is
// present (a status object without a code, or with a null one, is a
// failure), a top-level statusCode is 1000 when present, and a body with
// neither (a documented status-less variant) is a success.
func checkStatus(info callInfo, status *envelopeStatus, statusCode *wire.Code, body []byte) error {
	if status != nil && !status.Code.IsSuccess() {
		return businessError(info, status.Code, status.Description, body)
	}
	if statusCode != nil && !statusCode.IsZero() && !statusCode.IsSuccess() {
		desc := ""
		if status != nil {
			desc = status.Description
		}
		return businessError(info, *statusCode, desc, body)
	}
	return nil
}

func newDecodeError(info callInfo, body []byte, err error) *DecodeError {
	return &DecodeError{
		HTTPStatus:  info.status,
		Method:      info.method,
		Path:        info.path,
		OperationID: info.operationID,
		Body:        redactBody(info.redact, body),
		Err:         err,
		redact:      info.redact,
	}
}

// DecodeResponse turns a raw response into data or an error, exactly as the
// Client's own methods do: a non-2xx status becomes an [*APIError], a 2xx
// envelope whose business code is not 1000 an [*APIError] matching
// [ErrBusiness], and otherwise the envelope's data is decoded into T.
//
// Use it with the generated client's responses:
//
//	r, err := gc.GetCustomerWithResponse(ctx, code)
//	if err != nil { … }
//	customer, err := api.DecodeResponse[gen.Customer](r.HTTPResponse, r.Body)
//
// DecodeResponse knows no credentials, so it removes only echoed bearer tokens
// ("Bearer …") from the error; prefer [DecodeResponseWith], which also removes the
// Client's client secret, subscription key and tokens.
func DecodeResponse[T any](httpResp *http.Response, body []byte) (T, error) {
	return decodeResponse[T](nil, httpResp, body)
}

// DecodeResponseWith is [DecodeResponse] for responses to requests sent with c (through
// [Client.HTTPClient]): errors are scrubbed of c's credentials — client
// secret, subscription key and recent bearer tokens — like those of the
// Client's own methods. A nil c is the same as DecodeResponse.
//
//	customer, err := api.DecodeResponseWith[gen.Customer](c, r.HTTPResponse, r.Body)
func DecodeResponseWith[T any](c *Client, httpResp *http.Response, body []byte) (T, error) {
	var r *redactor // nil: bearer values only
	if c != nil {
		r = c.redact
	}
	return decodeResponse[T](r, httpResp, body)
}

func decodeResponse[T any](r *redactor, httpResp *http.Response, body []byte) (T, error) {
	var zero T
	if httpResp == nil {
		return zero, errors.New("gofive: DecodeResponse: nil *http.Response")
	}
	info := infoFromResponse("", httpResp, r)
	if !isSuccessStatus(httpResp.StatusCode) {
		return zero, newAPIError(info, body)
	}
	return decodeEnvelope[T](info, body)
}
