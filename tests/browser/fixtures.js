// Shared test fixtures. Every test's page is watched: any network request after the page has
// loaded, any page error, any Content-Security-Policy violation, and any cookie or storage write
// fails the test.
import { test as base, expect } from '@playwright/test';

export const test = base.extend({
  page: async ({ page }, use, testInfo) => {
    const afterLoad = [];
    const problems = [];
    let loaded = false;
    page.on('load', () => {
      loaded = true;
    });
    page.on('request', (request) => {
      if (request.isNavigationRequest() && request.frame() === page.mainFrame()) {
        // A new document (the test's own page.goto) starts a new load. Navigations may only
        // go to the test server or to files: the page must never send the user elsewhere.
        if (!/^(http:\/\/127\.0\.0\.1:\d+\/|file:)/.test(request.url())) afterLoad.push(`navigation to ${request.url()}`);
        loaded = false;
        return;
      }
      // Data URLs are not network requests; anything else after load is.
      if (loaded && !request.url().startsWith('data:')) afterLoad.push(`${request.method()} ${request.url()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
      });
    });
    await use(page);
    if (!testInfo.annotations.some((a) => a.type === 'expects-problems')) {
      expect(problems, 'page errors, console errors or CSP violations').toEqual([]);
    }
    expect(afterLoad, 'network requests after the page loaded').toEqual([]);
    if (!page.isClosed() && !page.url().startsWith('about:')) {
      const storage = await page.evaluate(async () => ({
        cookie: document.cookie,
        local: (() => { try { return localStorage.length; } catch { return 0; } })(),
        session: (() => { try { return sessionStorage.length; } catch { return 0; } })(),
        databases: indexedDB.databases ? (await indexedDB.databases()).length : 0,
      }));
      expect(storage, 'cookies and storage').toEqual({ cookie: '', local: 0, session: 0, databases: 0 });
    }
  },
});
export { expect };

/** The nine rows of the 2020 table, each as the agent printed it in a real session. */
export const ROWS = {
  'device-flow-network-unreachable': `time="2020-09-18T08:12:44Z" level=info msg="Onboarding Machine. It usually takes a few minutes to complete. Sometimes it may take longer depending on network and server load status."
time="2020-09-18T08:12:46Z" level=error msg="Failed to acquire authorization token device flow" Error="Error occurred while sending request for Device Authorization Code: Post https://login.windows.net/fb84ce97-b875-4d12-b031-ef5e7edf9c8e/oauth2/devicecode?api-version=1.0:  dial tcp 40.126.9.7:443: connect: network is unreachable."`,
  'device-flow-forbidden': `ERROR[0002] Failed to acquire authorization token device flow  Error="Error occurred while sending request for Device Authorization Code: Post https://login.windows.net/fb84ce97-b875-4d12-b031-ef5e7edf9c8e/oauth2/devicecode?api-version=1.0:  dial tcp 40.126.9.7:443: connect: network is Forbidden"`,
  'device-flow-no-such-host': `PS C:\\> & "$env:ProgramFiles\\AzureConnectedMachineAgent\\azcmagent.exe" connect --resource-group "rg-arc" --tenant-id "fb84ce97-b875-4d12-b031-ef5e7edf9c8e" --location "westeurope" --subscription-id "5f4c1f8b-7a35-4a5b-9d55-0d2b8f9a1e11"
time="2020-09-18T08:12:46Z" level=fatal msg="Failed to acquire authorization token device flow" Error="Error occurred while sending request for Device Authorization Code: Post https://login.windows.net/fb84ce97-b875-4d12-b031-ef5e7edf9c8e/oauth2/devicecode?api-version=1.0:  dial tcp lookup login.windows.net: no such host"`,
  'spn-token-forbidden': `time="2020-09-18T08:12:46Z" level=fatal msg="Failed to acquire authorization token from SPN" Error="Failed to execute the refresh request. Error = 'Post https://login.windows.net/fb84ce97-b875-4d12-b031-ef5e7edf9c8e/oauth2/token?api-version=1.0: Forbidden'"`,
  'spn-invalid-secret': `ERROR[0001] Failed to acquire authorization token from SPN  Error="Failed to execute the refresh request. Error = 'Invalid client secret is provided.'"`,
  'spn-app-not-found': `time="2020-09-18T08:12:46Z" level=fatal msg="Failed to acquire authorization token from SPN" Error="Failed to execute the refresh request. Error = 'Application with identifier 'A1B2C3D4-0000-1111-2222-333344445555' was not found in the directory 'fb84ce97-b875-4d12-b031-ef5e7edf9c8e'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.'"`,
  'arm-authorization-failed': `time="2020-09-18T08:12:47Z" level=debug msg="Get ARM Resource Response" Body="{\\"error\\":{\\"code\\":\\"AuthorizationFailed\\",\\"message\\":\\"The client 'jane@contoso.com' with object id '7d3f2a10-5b6c-4e2d-9f80-1a2b3c4d5e6f' does not have authorization to perform action 'Microsoft.HybridCompute/machines/read' over scope '/subscriptions/5f4c1f8b-7a35-4a5b-9d55-0d2b8f9a1e11/resourcegroups/rg-arc/providers/Microsoft.HybridCompute/machines/WEB01' or the scope is invalid. If access was recently granted, please refresh your credentials.\\"}}" Status Code=403`,
  'provider-not-registered': `time="2020-09-18T08:12:48Z" level=fatal msg="Failed to AzcmagentConnect ARM resource" Error="The subscription is not registered to use namespace 'Microsoft.HybridCompute'"`,
  'arm-endpoint-forbidden': `time="2020-09-18T08:12:48Z" level=fatal msg="Failed to AzcmagentConnect ARM resource" Error="Get https://management.azure.com/subscriptions/5f4c1f8b-7a35-4a5b-9d55-0d2b8f9a1e11/resourcegroups/rg-arc/providers/Microsoft.HybridCompute/machines/WEB01?api-version=2019-03-18-preview:  Forbidden"`,
};

/** The widget's parts, found through its shadow root (Playwright's CSS locators pierce it). */
export function widget(page, selector = 'arc-triage') {
  const host = page.locator(selector).first();
  return {
    host,
    log: host.locator('textarea.log'),
    status: host.locator('.status'),
    error: host.locator('.error'),
    results: host.locator('.results'),
    cards: host.locator('article.diagnosis'),
    first: host.locator('article.diagnosis').first(),
    open: host.locator('button.open'),
    clear: host.locator('button.clear'),
    stop: host.locator('button.stop'),
    fileInput: host.locator('input[type=file]'),
    version: host.locator('.version'),
  };
}

/** Waits until the engine is up (the rule-set line is filled in). */
export async function ready(w) {
  await expect(w.version).toHaveText(/^Rule set \d{4}\.\d{2}\.\d{2}/);
}
