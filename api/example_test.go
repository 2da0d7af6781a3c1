package api_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"

	"github.com/gofive-go/gofive/api"
)

// fakeGofive stands in for https://api.gofive.co.th in the examples.
func fakeGofive() *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /authorization/connect/token", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"access_token":"example-token","expires_in":3600,"token_type":"Bearer"}`)
	})
	mux.HandleFunc("GET /v3/customers/{code}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.PathValue("code") != "C000349" {
			w.Header().Set("X-Request-Id", "req-42")
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"status":{"code":"4001","description":"Customer not found"},"data":null}`)
			return
		}
		io.WriteString(w, `{"status":{"code":"1000","description":"Success"},"data":{"customerCode":"C000349","customerName":"Siam Trading Co., Ltd."}}`)
	})
	mux.HandleFunc("POST /v1/case", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"status":{"code":"1000","description":"Success"},"data":{"data":{"feedbackId":67941},"statusCode":1000,"httpStatusCode":200}}`)
	})
	return httptest.NewServer(mux)
}

type Customer struct {
	CustomerCode string `json:"customerCode"`
	CustomerName string `json:"customerName"`
}

func ExampleNew() {
	srv := fakeGofive()
	defer srv.Close()

	c, err := api.New(
		api.WithCredentials("my-client-id", "my-client-secret"),
		api.WithSubscriptionKey("my-subscription-key"),
		api.WithBaseURL(srv.URL), // omit for https://api.gofive.co.th
	)
	if err != nil {
		log.Fatal(err)
	}
	var customer Customer
	if err := c.Do(context.Background(), "GET", "/v3/customers/C000349", nil, &customer); err != nil {
		log.Fatal(err)
	}
	fmt.Println(customer.CustomerName)
	// Output: Siam Trading Co., Ltd.
}

func ExampleNewFromEnv() {
	srv := fakeGofive()
	defer srv.Close()
	for k, v := range map[string]string{
		"GOFIVE_CLIENT_ID":        "my-client-id",
		"GOFIVE_CLIENT_SECRET":    "my-client-secret",
		"GOFIVE_SUBSCRIPTION_KEY": "my-subscription-key",
		"GOFIVE_BASE_URL":         srv.URL,
	} {
		os.Setenv(k, v)
		defer os.Unsetenv(k)
	}

	c, err := api.NewFromEnv(api.WithUserAgent("crm-sync/1.4"))
	if err != nil {
		log.Fatal(err)
	}
	var customer Customer
	if err := c.Do(context.Background(), "GET", "/v3/customers/C000349", nil, &customer); err != nil {
		log.Fatal(err)
	}
	fmt.Println(customer.CustomerCode)

	// Missing variables are named in the error; values never are.
	os.Unsetenv("GOFIVE_CLIENT_SECRET")
	_, err = api.NewFromEnv()
	fmt.Println(err)
	// Output:
	// C000349
	// gofive: missing configuration: GOFIVE_CLIENT_SECRET is not set (or pass the matching option: WithCredentials, WithSubscriptionKey)
}

func ExampleClient_Do() {
	srv := fakeGofive()
	defer srv.Close()
	c, err := api.New(api.WithCredentials("id", "secret"), api.WithSubscriptionKey("key"), api.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}

	// Add Case wraps its result twice: {"status":…,"data":{"data":{…},"statusCode":1000,…}}.
	var result struct {
		Data struct {
			FeedbackID int64 `json:"feedbackId"`
		} `json:"data"`
		StatusCode int `json:"statusCode"`
	}
	newCase := map[string]any{"customerCode": "C000349", "subject": "Printer jam"}
	if err := c.Do(context.Background(), "POST", "/v1/case", newCase, &result); err != nil {
		log.Fatal(err)
	}
	fmt.Println(result.Data.FeedbackID, result.StatusCode)
	// Output: 67941 1000
}

func Example_errors() {
	srv := fakeGofive()
	defer srv.Close()
	c, err := api.New(api.WithCredentials("id", "secret"), api.WithSubscriptionKey("key"), api.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}

	err = c.Do(context.Background(), "GET", "/v3/customers/C999999", nil, &Customer{})
	if errors.Is(err, api.ErrNotFound) {
		fmt.Println("not found")
	}
	var apiErr *api.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.HTTPStatus, apiErr.Code, apiErr.Description, apiErr.RequestID)
	}
	fmt.Println(err)
	// Output:
	// not found
	// 404 4001 Customer not found req-42
	// gofive: GET /v3/customers/C999999: HTTP 404 Not Found code 4001: Customer not found (request id req-42)
}

func ExampleDecodeResponse() {
	srv := fakeGofive()
	defer srv.Close()
	c, err := api.New(api.WithCredentials("id", "secret"), api.WithSubscriptionKey("key"), api.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}

	// c.HTTPClient() authenticates and retries; plug it into the generated
	// client with gen.WithHTTPClient. Here it is used directly.
	req, err := http.NewRequest("GET", c.BaseURL()+"v3/customers/C000349", nil)
	if err != nil {
		log.Fatal(err)
	}
	resp, err := c.HTTPClient().Do(req)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		log.Fatal(err)
	}
	customer, err := api.DecodeResponse[Customer](resp, body)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(customer.CustomerName)
	// Output: Siam Trading Co., Ltd.
}
