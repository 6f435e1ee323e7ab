//! The browser tests' scenario runner: a fresh headless Chromium
//! (`storeops_testkit::browser`) and a fresh test server per scenario,
//! both closed even when the scenario panics.

/// Runs `$scenario(&Client, &TestServer)` with a fresh browser and server,
/// closing both even when the scenario panics.
#[macro_export]
macro_rules! browser_test {
    ($name:ident, $scenario:ident) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            use ::futures_util::FutureExt;
            let Some(browser) = ::storeops_testkit::browser::Browser::start().await else {
                return;
            };
            let server = $crate::common::TestServer::start().await;
            let started = ::std::time::Instant::now();
            let outcome = ::std::panic::AssertUnwindSafe($scenario(&browser.client, &server))
                .catch_unwind()
                .await;
            println!(
                "{}: browser part took {:?}",
                stringify!($name),
                started.elapsed()
            );
            browser.close().await;
            server.stop().await;
            if let Err(panic) = outcome {
                ::std::panic::resume_unwind(panic);
            }
        }
    };
}
