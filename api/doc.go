// Package api is the Go client for the Gofive / Venio CRM REST API
// (https://api.gofive.co.th): customers and their events, cases, deals,
// activities, employees, expenses, products, quotations, sales orders,
// settings and webhooks.
//
// It wraps the client generated from the OpenAPI spec (package gen) with
// authentication, retries, response-envelope unwrapping and typed errors.
// Every operation is a method on a service field of the [Client], grouped as
// in the API docs (c.Customers, c.Quotations, c.SalesOrders, …), returning
// the unwrapped data. Create one Client and share it:
//
//	c, err := api.New(
//		api.WithCredentials(clientID, clientSecret),
//		api.WithSubscriptionKey(subscriptionKey),
//	)
//
// or, reading GOFIVE_CLIENT_ID, GOFIVE_CLIENT_SECRET, GOFIVE_SUBSCRIPTION_KEY
// and GOFIVE_BASE_URL:
//
//	c, err := api.NewFromEnv()
//
// # Authentication
//
// Every call carries two credentials: an OAuth2 bearer token and the Azure
// API Management subscription key (header Ocp-Apim-Subscription-Key), both
// issued at partner onboarding.
//
// With [WithCredentials] the client obtains tokens itself, using the
// client-credentials grant at /authorization/connect/token (the secret is
// sent form-encoded in the body, the subscription key as a header). The
// token is cached and shared by all goroutines — concurrent callers cause a
// single token request — and replaced [DefaultRefreshMargin] before it
// expires ([WithTokenRefreshMargin]). If the API answers 401, the client
// drops the cached token, fetches a new one and replays the request once.
//
// Callers who manage tokens themselves use [WithStaticToken] or
// [WithTokenSource]. Credentials are only ever sent to the base URL's host
// (and the subscription key to the token endpoint), and never appear in
// errors or logs.
//
// # Errors
//
// A call succeeds when the HTTP status is 2xx and the envelope's business
// code is 1000:
//
//	{"status":{"code":"1000","description":"Success"},"data":{…}}
//
// Anything else is an [*APIError] carrying the HTTP status, the business or
// gateway code, the description, validation details, the request id and a
// bounded copy of the body. errors.Is matches it against [ErrBadRequest],
// [ErrUnauthorized], [ErrForbidden], [ErrNotFound], [ErrRateLimited],
// [ErrServerError] and, for a 2xx response whose business code is not
// 1000, [ErrBusiness]:
//
//	var apiErr *api.APIError
//	switch {
//	case errors.Is(err, api.ErrNotFound):
//		// …
//	case errors.As(err, &apiErr):
//		log.Printf("code %s: %s (request %s)", apiErr.Code, apiErr.Description, apiErr.RequestID)
//	}
//
// Bodies that are not the envelope (the gateway's own 401/429 JSON, OAuth
// errors, ASP.NET ProblemDetails, HTML error pages, plain text) are mapped
// too. A 2xx body that cannot be decoded is a [*DecodeError]; a token
// failure a [*TokenError]; a response larger than [WithMaxResponseBytes]
// fails with [ErrResponseTooLarge].
//
// # Retries
//
// Failed attempts are retried (go-retryablehttp underneath) on connection
// errors and HTTP 408, 429 and 5xx except 501, up to 4 attempts in all,
// waiting with jittered exponential backoff (200ms to 5s) or for the
// server's Retry-After, capped at 30s. Each attempt is authenticated anew.
// Nothing is retried once the context is done, or when the next wait would
// pass its deadline. POST is not idempotent, so POST requests are retried
// only with [RetryPolicy].RetryPOST or under a context from [ContextWithRetry].
// The enquiry (search) operations are POSTs that only read; their generated
// methods call ContextWithRetry themselves (x-gofive-read-only in the spec).
// [WithRetryPolicy] changes the limits or replaces the CheckRetry and
// Backoff functions; [WithTimeout] bounds a whole call, retries included.
// When retries run out, the error is the last attempt's: its *APIError
// (with RetryAfter for a 429) or its transport error.
//
// # Pagination
//
// The API's enquiry (search) operations page with take/skip or
// pageLength/skip and return no total. For each of them the generated
// methods include an iterator, named after the operation with an All
// suffix, that returns an iter.Seq2[T, error] and requests pages of the
// given size until a page comes back short:
//
//	for e, err := range c.Employees.EmployeesEnquiryAll(ctx, filter, 50) {
//		if err != nil {
//			return err
//		}
//		// …
//	}
//
// Where the docs did not show an enquiry's response (Quotation Enquiry,
// Get Products By Filter), its iterator yields each item as raw JSON, found
// in data as an array or as {"value": [...]} — the list shapes the API uses
// elsewhere — and ends with an error on anything else.
//
// # Types
//
// Response policy (also in the spec's info.description). A response property
// is required only where the response means nothing without it: the
// envelope's status and status.code, the token's access_token (and an OAuth
// error's error). The Gofive docs mark almost every response property
// required, but those markers are weak evidence (Apidog marks every property
// of a schema built from a sample required, and the docs' examples omit
// "required" properties), so the spec keeps them in x-gofive-docs-required and
// enforces them only in the opt-in validation mode spec.DocsRequired(). Types,
// formats and strictness (spec.Strict()) stay enforced, and request schemas
// keep the docs' required markers.
//
// Response models therefore hold plain values: a field the answer left out
// reads as its zero value (gen.Customer and gen.SalesOrder have no pointer
// fields). One Go type per concept, across models:
//
//   - quantities (qty, dealQuantity) and money, prices, rates and discounts:
//     float64 (quotation quantities and amounts are decimal in the docs);
//   - numeric ids (every integer …Id, statusId included): int64; ids the
//     docs type both as string and number: wire.ID; GUIDs, codes and document
//     numbers (customerCode, staffCode, salesOrderNo): string;
//   - dates: wire.Time; business codes: wire.Code.
//
// Request models keep a pointer only where a zero value must be sendable or
// where leaving the field out means something (a nil pointer leaves it out):
//
//   - false must be sendable: cancleAllOrder and markAllTaskAsDone (Create and
//     Update Deal), useDefaultVat (ProductPrice, ProductVariantPrice), active
//     (ProductVariant), discountType (QuotationRequest, QuotationRequestLine,
//     SalesOrderRequest, SalesOrderRequestLine);
//   - 0 must be sendable (amounts, rates, quantities, counts, readings):
//     salePrice and vatValue (ProductPrice); regularPrice, salePrice, vat and
//     vatValue (ProductVariantPrice); cost, productWeight, qty and
//     lowStockAlert (ProductUpsertItem); cost, qty and lowStockAlert
//     (ProductVariant); Latitude and Longtitude (Verify Serial Number);
//     discountValue (QuotationRequest, SalesOrderRequest); discountValue and
//     price (QuotationRequestLine); discountValue and qty
//     (SalesOrderRequestLine); dealQuantity (Create and Update Deal);
//     probability (Update Deal); contractValue (ContractRequest); hours,
//     minutes, night, milesStart and milesEnd (ExpenseDetailInput);
//     customerStatus (CustomerRequest: 0 is "active");
//   - left out means something: price (SalesOrderRequestLine: "null = the
//     product's price in the system"), vatTaxValue ("null = No Vat") and
//     whtTaxValue ("null = none") on sales-order lines, vatTaxValue and
//     whTaxValue on quotation lines.
//
// The webhook payload models (gen.Webhook…) keep pointers too: they carry
// undocumented keys (additionalProperties), and their generated MarshalJSON
// writes every non-pointer field, which would add keys a payload never had.
//
// A success envelope whose data is null or absent, on an operation that
// documents data, is an error wrapping [ErrNoData]; a typed method never
// returns a nil value with a nil error. Get a SalesOrder's data is one order
// or a list of them (both are documented): GetSalesOrder returns the
// *gen.SalesOrder with the requested number either way (an error wrapping
// [ErrNotFound] when the list lacks it), and so does [SalesOrderEvent.Fetch].
//
// Where the docs did not show a response, the method returns its data as
// json.RawMessage (JSON null when there is none). [RawString] and [RawField]
// read what you need from it, above all the identifier a create call returned:
//
//	raw, err := c.Customers.CreateOrUpdateCustomer(ctx, req)
//	code, ok := api.RawString(raw, "customerCode")
//
// Once such a response shape is recovered, its method returns a typed value
// instead; that is a breaking change, announced in CHANGELOG.md.
//
// # Regenerating
//
// The per-operation methods (operations.gen.go) are generated from
// spec/openapi.yaml and the oapi-codegen output in package gen; never edit
// them by hand. After changing the spec, run
//
//	make generate
//
// which regenerates package gen and then this package's methods. For
// operations the spec does not know yet, [Client.Do] calls any path with the
// same authentication, retries, envelope handling and errors.
//
// # Using package gen directly
//
// The generated low-level client stays first-class: plug this package's
// authenticated, retrying transport into it and turn its responses into
// data or typed errors with [DecodeResponse]:
//
//	g, err := gen.NewClientWithResponses(c.BaseURL(), gen.WithHTTPClient(c.HTTPClient()))
//	resp, err := g.GetCustomerByCodeWithResponse(ctx, "C000349")
//	customer, err := api.DecodeResponseWith[gen.Customer](c, resp.HTTPResponse, resp.Body)
//
// [DecodeResponseWith] redacts the client's credentials from errors; [DecodeResponse] needs
// no client and removes echoed bearer tokens only.
//
// # Logging
//
// [WithLogger] logs one log/slog record per HTTP attempt (method, path,
// status, duration, attempt, operation): at DEBUG, or at WARN for a failed
// attempt, a retry and the replay after a 401. Headers, tokens, secrets and
// query strings are never logged.
package api
