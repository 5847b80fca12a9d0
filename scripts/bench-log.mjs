// The log `npm run bench` times, shared by the browser and CLI halves: the shape of
// benches/throughput.rs (noisy verbose connect with retries, the fatal error last).
import { zip } from './zip.mjs';

/** A log of about `megabytes` MB, and the same log as a support bundle's azcmagent.log. */
export function benchLog(megabytes = 10) {
  const lines = [
    'time="2022-09-30T10:04:14Z" level=debug msg="Checking connectivity to https://westeurope-gas.guestconfiguration.azure.com, proxy status: proxy is not used"',
    'time="2022-09-30T10:04:14Z" level=debug msg="https://management.azure.com is available, using cryptographic protocol: TLS 1.2"',
    'time="2022-09-30T10:04:16Z" level=debug msg="Get ARM Resource Response" Body="{\\"error\\":{\\"code\\":\\"ResourceNotFound\\",\\"message\\":\\"The Resource \'Microsoft.HybridCompute/machines/web01\' under resource group \'rg\' was not found.\\"}}" Status Code=404',
    'time="2022-09-30T10:04:17Z" level=debug msg="Sending heartbeat" Endpoint="https://weu.his.arc.azure.com/machine/11b51d59-1e28-4716-88b3-a00dbfaa4440/status?api-version=2021-01-28"',
    '\u001b[36mDEBU\u001b[0m[0031] Successfully acquired Authorization Token',
    'INFO    Testing connectivity to endpoints that are needed to connect to Azure... This might take a few minutes.',
    'time="2022-09-30T10:04:09Z" level=debug msg="Validating HTTP response. getting a non-200 response (404 Not Found)" Endpoint="http://169.254.169.254/metadata/instance/compute?api-version=2019-06-01"',
    'time="2022-09-30T10:04:18Z" level=error msg="Failed to acquire authorization token device flow" Error="Error occurred while sending request for Device Authorization Code: Post https://login.windows.net/fb84ce97-b875-4d12-b031-ef5e7edf9c8e/oauth2/devicecode?api-version=1.0: dial tcp 40.126.9.7:443: connect: network is unreachable"',
  ];
  const parts = [];
  let size = 0;
  for (let i = 0; size < megabytes << 20; i += 1) {
    const line = i % 500 === 499 ? lines[7] : lines[i % 7];
    parts.push(line, '\n');
    size += line.length + 1;
  }
  parts.push('time="2022-09-30T10:09:41Z" level=fatal msg="Failed to AzcmagentConnect ARM resource" Error="The subscription is not registered to use namespace \'Microsoft.HybridCompute\'"\n');
  const text = parts.join('');
  return { text, archive: zip([['var/opt/azcmagent/log/azcmagent.log', text]]) };
}

