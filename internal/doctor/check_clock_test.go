package doctor

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// testNow is the local clock of the clock tests: fixed, so that the
// reported skew is exact.
var testNow = time.Date(2026, 11, 24, 6, 0, 0, 0, time.UTC)

// skewedProxy answers with a Date header off by skew from testNow.
func skewedProxy(skew time.Duration) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Date", testNow.Add(skew).Format(http.TimeFormat))
		rw.WriteHeader(http.StatusOK)
	})
}

func TestClockSkew(t *testing.T) {
	tests := []struct {
		name   string
		skew   time.Duration // server time minus local time
		want   Status
		sawHas string
		fixHas string
	}{
		{"in sync", 0, StatusOK, "local clock agrees with 127.0.0.1", ""},
		{"two minutes behind", 2 * time.Minute, StatusWarn, "local clock is 2m0s behind", "timedatectl"},
		{"ten minutes ahead", -10 * time.Minute, StatusFail, "local clock is 10m0s ahead of", "chrony"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			w.cfg.Now = func() time.Time { return testNow }
			srv := httptest.NewTLSServer(skewedProxy(tt.skew))
			defer srv.Close()
			w.trust(srv)
			w.env["GOPROXY"] = srv.URL + ",direct"
			wantResult(t, w.run("clock"), tt.want, tt.sawHas, tt.fixHas)
		})
	}
}

// A clock so wrong that the proxy's certificate looks expired: the clock
// check still reads the Date header, without trusting the answer.
func TestClockSkewBreaksTLS(t *testing.T) {
	w := newWorld(t)
	srv := httptest.NewTLSServer(skewedProxy(0))
	defer srv.Close()
	w.trust(srv)
	w.env["GOPROXY"] = srv.URL + ",direct"
	w.cfg.Now = func() time.Time { return testNow.Add(100 * 365 * 24 * time.Hour) }
	wantResult(t, w.run("goproxy"), StatusFail, "outside its validity period", "timedatectl")
	wantResult(t, w.run("clock"), StatusFail, "ahead of 127.0.0.1", "timedatectl")
}

func TestClockOffline(t *testing.T) {
	w := newWorld(t)
	w.cfg.Offline = true
	wantResult(t, w.run("clock"), StatusSkip, "--offline", "")
}
