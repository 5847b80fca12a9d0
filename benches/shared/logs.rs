//! The generated logs the benches time: a healthy verbose connect (chatter, one retry error
//! every 500 lines) and a retry-heavy one (six of every eight lines an error record that reaches
//! the patterns). Both end with the fatal line, so both classify to `provider-not-registered`.

/// Lines of a noisy verbose connect: debug chatter, escaped JSON bodies, colour codes.
const CHATTER: [&str; 7] = [
    r#"time="2022-09-30T10:04:14Z" level=debug msg="Checking connectivity to https://westeurope-gas.guestconfiguration.azure.com, proxy status: proxy is not used""#,
    r#"time="2022-09-30T10:04:14Z" level=debug msg="https://management.azure.com is available, using cryptographic protocol: TLS 1.2""#,
    r#"time="2022-09-30T10:04:16Z" level=debug msg="Get ARM Resource Response" Body="{\"error\":{\"code\":\"ResourceNotFound\",\"message\":\"The Resource 'Microsoft.HybridCompute/machines/web01' under resource group 'rg' was not found.\"}}" Status Code=404"#,
    r#"time="2022-09-30T10:04:17Z" level=debug msg="Sending heartbeat" Endpoint="https://weu.his.arc.azure.com/machine/11b51d59-1e28-4716-88b3-a00dbfaa4440/status?api-version=2021-01-28""#,
    "\u{1b}[36mDEBU\u{1b}[0m[0031] Successfully acquired Authorization Token",
    "INFO    Testing connectivity to endpoints that are needed to connect to Azure... This might take a few minutes.",
    r#"time="2022-09-30T10:04:09Z" level=debug msg="Validating HTTP response. getting a non-200 response (404 Not Found)" Endpoint="http://169.254.169.254/metadata/instance/compute?api-version=2019-06-01""#,
];

const DEVICE_FLOW: &str = r#"time="2022-09-30T10:04:18Z" level=error msg="Failed to acquire authorization token device flow" Error="Error occurred while sending request for Device Authorization Code: Post https://login.windows.net/fb84ce97-b875-4d12-b031-ef5e7edf9c8e/oauth2/devicecode?api-version=1.0: dial tcp 40.126.9.7:443: connect: network is unreachable""#;

/// A retry loop: error records with anchors (some a rule matches, some near misses only the
/// full pattern rejects, some with escapes the record decoder undoes), one info and one debug.
const RETRIES: [&str; 8] = [
    DEVICE_FLOW,
    r#"time="2023-05-14T07:31:02Z" level=error msg="Failed to AzcmagentConnect ARM resource" Error="Put https://management.azure.com/subscriptions/0b6e3c1d-52a4-4f0e-9d7c-3f2a8e1b4c55/resourcegroups/arc-rg/providers/Microsoft.HybridCompute/machines/app02?api-version=2020-08-02: dial tcp 20.37.158.2:443: connect: network is unreachable""#,
    r#"time="2023-05-14T07:31:07Z" level=error msg="Failed to acquire authorization token from SPN" Error="Failed to execute the refresh request. Error = 'adal: Refresh request failed. Status Code = '401'. Response body: {\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client secret provided.\"}'""#,
    r#"time="2023-05-14T07:31:12Z" level=info msg="Retrying in 5 seconds (attempt 4 of 10)""#,
    r#"time="2023-05-14T07:31:17Z" level=error msg="failed to connect to agent" Error="dial unix /var/opt/azcmagent/socks/himds.sock: connect: connection refused""#,
    r#"time="2023-05-14T07:31:22Z" level=error msg="Failed to acquire authorization token device flow" Error="Error occurred while sending request for Device Authorization Code: Post \"https://login.microsoftonline.com/3c1f4a7e-9b2d-4e6f-8a1c-5d7e9f0b2a4c/oauth2/devicecode?api-version=1.0\": dial tcp: lookup login.microsoftonline.com on 127.0.0.53:53: no such host""#,
    CHATTER[1],
    r#"time="2023-05-14T07:31:27Z" level=error msg="Failed to reach the service endpoint" Error="Get \"https://gbl.his.arc.azure.com/discovery\": x509: certificate signed by unknown authority""#,
];

const FATAL: &str = r#"time="2022-09-30T10:09:41Z" level=fatal msg="Failed to AzcmagentConnect ARM resource" Error="The subscription is not registered to use namespace 'Microsoft.HybridCompute'""#;

/// Which log to generate.
#[derive(Clone, Copy)]
pub enum Shape {
    /// Mostly chatter; one retry error every 500 lines.
    Healthy,
    /// Six of every eight lines an error record.
    RetryHeavy,
}

/// A log of the shape, at least `bytes` long, ending with the fatal line.
pub fn generate(shape: Shape, bytes: usize) -> String {
    let mut out = String::with_capacity(bytes + 4096);
    let mut i = 0usize;
    while out.len() < bytes {
        let line = match shape {
            Shape::Healthy if i % 500 == 499 => DEVICE_FLOW,
            Shape::Healthy => CHATTER[i % CHATTER.len()],
            Shape::RetryHeavy => RETRIES[i % RETRIES.len()],
        };
        out.push_str(line);
        out.push('\n');
        i += 1;
    }
    out.push_str(FATAL);
    out.push('\n');
    out
}
