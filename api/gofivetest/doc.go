// Package gofivetest is a fake Gofive / Venio CRM API for tests: an HTTP server on a
// loopback address that authenticates like the real gateway, validates every request
// against the spec (package spec), keeps what is created in memory, and can be told to fail.
//
//	srv := gofivetest.NewServer(t)
//	client, err := api.New(
//		api.WithBaseURL(srv.URL),
//		api.WithCredentials(srv.ClientID, srv.ClientSecret),
//		api.WithSubscriptionKey(srv.SubscriptionKey),
//	)
//
// [NewServer] starts a server for one test and closes it when the test ends; [Start] starts
// one outside a test (a command-line demo). Servers are safe for concurrent use.
//
// # Authentication
//
// POST /authorization/connect/token takes the client-credentials grant as a form, checks
// the subscription key, then client_id and client_secret (form fields only, as documented),
// and answers the raw OAuth JSON {access_token, token_type, expires_in}; failures are OAuth
// error bodies ({"error":"invalid_client",…}, 401; unsupported_grant_type and
// invalid_request, 400). Tokens live [DefaultTokenLifetime] unless [WithTokenLifetime] says
// otherwise; [Server.ExpireTokens] invalidates them at once, to exercise a client's refresh.
//
// Every other call needs the subscription key (Ocp-Apim-Subscription-Key) and a current
// bearer token. Without them it gets the gateway's 401, whose body is not the Gofive
// envelope: {"statusCode":401,"message":"Access denied due to missing subscription key. …"}
// (or "invalid subscription key", or "Access token is missing or invalid.").
//
// # Validation
//
// Each request is validated against the spec after authentication. A request that does not
// match gets 400 with the standard envelope, business code 4001 (one problem) or 4002
// (several), and the problems as a list of messages in data:
//
//	{"status":{"code":"4001","description":"$.eventDate: expected a value (required), got missing"},
//	 "data":["$.eventDate: expected a value (required), got missing"]}
//
// The error body's shape is the fake's own: the real API's 4001/4002 bodies were never
// documented. A path the spec does not have (paths are case-sensitive) gets the gateway's 404.
// [WithStrictRequests] also rejects undocumented fields. Every answer the fake gives matches
// the spec, strict mode included (its tests check this); to check your side, send through
// [spec.NewValidatingTransport], or use [Server.Client].
//
// # Operations
//
// Every operation of the spec is served. Create, read, update and list operations share one
// in-memory store, so what a test creates it can read back, change and page through;
// identifiers follow the documented forms. Not-found answers are HTTP 404 with the gateway's
// {statusCode, message} body, the shape the spec documents for 404 (how the real API reports
// a missing record is not documented). Where the spec has the response, the fake
// answers exactly that shape; where the response was not recovered (UnrecoveredEnvelope),
// the fake answers the minimal standard envelope {"status":{"code":"1000",…},"data":…} whose
// data is its own choice, listed below. That is not a claim about the real API's shape.
//
//	Customers
//	  createOrUpdateCustomer   stateful; null code creates C000004 (a lead L000001); a known
//	                           code updates; an unknown one creates under it; names unique.
//	                           data {"customerCode"}                          (fake's shape)
//	  getCustomerByCode        stateful, documented shape (contacts under "contact")
//	  createCustomerSatisfaction  recorded ([Server.Satisfactions]); Point checked per type;
//	                           status only                                    (fake's shape)
//	  addCustomerEvent         stateful, documented status-only answer
//	  getCustomerEvents        stateful; filters customerCode, eventTypeIds, date range
//	  editCustomerEvent        stateful, documented shape
//	  getCustomerEventTypes    the documented example list
//	Cases (no read operation: see [Server.Case])
//	  addCase                  stateful, T250200001; documented nested feedbackId answer
//	  editCase                 stateful; data {"caseNo"}                       (fake's shape)
//	Contracts
//	  createOrUpdateContract   stateful, CONT250600001; data {"contractNo"}    (fake's shape)
//	  getContractByNo          stateful, documented shape; service items use the request's
//	                           keys (their real keys were not recovered)
//	  createOrUpdateContractServiceAgreement  stateful; data is the agreement (keys as sent)
//	Conversations
//	  conversationEnquiry      data []                                        (fake's shape)
//	Deals (no read operation: see [Server.Deal])
//	  createDeal               stateful, D241200001; data {"dealsId","dealNo"} (fake's shape)
//	  updateDeal               stateful, documented {data:{value:…}} without status
//	Employees
//	  employeesEnquiry         25 seeded employees; keyWord, skip/pageLength; documented
//	                           {data:{value:[…]}} without status
//	Expenses
//	  createExpense            stateful, EX250200001 (form not documented); per-type rules
//	                           checked; data {"expenseId","expenseNo"}          (fake's shape)
//	  updateExpense            stateful; data {"expenseId"}                     (fake's shape)
//	  expenseEnquiry           stateful; data [Get a Expense objects]          (fake's shape)
//	  getExpense               stateful, documented {data:{value:…}} without status
//	Products (seeded: PD001–PD012 and the documented 10001, A001–A003, AB00025dddd)
//	  createOrUpdateProducts   stateful; variants stored as products; units checked;
//	                           data {"ticketId","productCodes"}                 (fake's shape)
//	  getProductTicket         the batch of a ticket; data {"ticketId","productCodes"}
//	  getProductByCode         stateful; documented fields plus the stored item's
//	  getProductsWithTakeAndStatus, getProductsByFilter
//	                           stateful; take (and skip); data [products]      (fake's shape)
//	  updateProductStock       stateful (sets the stock); documented per-item answer
//	  verifySerialNumber       registers once; data {"SerialNumber"}           (fake's shape)
//	  getSerialStatus          data [registrations]                            (fake's shape)
//	  getProductUnits          data [unit names]                               (fake's shape)
//	Quotations
//	  createOrUpdateQuotation  stateful, Q02250000001 (Q, month, year, sequence); updates by
//	                           quotationNo or referenceNo; data {"quotationNo"} (fake's shape)
//	  getQuotation             stateful, documented fields; line items as sent
//	  quotationEnquiry         stateful; filters, take/skip; data [quotations] (fake's shape)
//	  convertQuotationToSalesOrder  creates an open sales order once, completes the
//	                           quotation; data {"salesOrderNo"}                 (fake's shape)
//	Sales orders
//	  createOrUpdateSalesOrder stateful, SO250200001; lines must name known products;
//	                           data {"salesOrderNo","salesOrderId"}            (fake's shape)
//	  getSalesOrder            stateful, documented shape (data one object), with totals
//	                           and the payment plan
//	  rejectSalesOrders        stateful (status 4); documented {"statusCode","httpStatusCode"}
//	  updateSalesOrderPayment  stateful; documented {"status","data":true}
//	Settings
//	  getHeaderTemplate        data [{"headerTemplateId","headerTemplateName"}] (fake's shape)
//
// Numbers carry the year and month of the server's clock ([WithClock]); generated data
// (seeded customers, products, employees, id bases) comes from [WithSeed], so the same seed
// and clock give the same data. The state can be read and seeded directly ([Server.Customer],
// [Server.PutProduct], …) for what the API cannot read back.
//
// # Faults
//
// [Server.FailNext] and [Server.FailOperation] inject a [Fault] into the next requests:
// [Status] (500, 503…), [TooManyRequests] (429 with Retry-After and the gateway's body),
// [ServiceUnavailable], [Latency], [ConnectionReset], [TruncatedBody], [HTMLError] and
// [GatewayError] (the gateway's non-envelope JSON). A fault replaces the operation, so
// nothing is created; [Fault.AfterHandling] runs the operation first, which is how to test
// that a client does not repeat a POST whose answer was lost.
//
// [Server.Requests] is the request log, for assertions on what a client sent and how often.
// Credentials never appear in it, nor in any answer or error message of the server. It is a
// ring of the last [WithRequestLogSize] requests ([DefaultRequestLogSize]); it keeps the body
// (at most [MaxLoggedBodyBytes]) only of an authenticated request to an operation, so stray
// traffic costs it nothing. [WithAdminEndpoint] serves it over HTTP at [AdminRequestsPath]
// for a fake in another process (gofive fake --show-log, --clear-log).
//
// # Documented rules
//
// Beyond the schemas, the fake enforces what the docs constrain, with HTTP 400 and business
// code 4001 (each rule cites its fact in rules.go): an event's eventType must be one of its
// own Get Customer Event Types; customerState must be 1 (Lead), 2 (Prospect) or 3
// (Customer); an event, a case or a quotation must name a customer the fake has. Values the
// docs do not constrain are accepted. Paging parameters of any size are answered.
package gofivetest
