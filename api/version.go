package api

// Version is the SDK version, sent in the User-Agent header.
const Version = "0.1.0"

// userAgent is the product token every request carries; WithUserAgent appends to it.
const userAgent = "gofive-go/" + Version
