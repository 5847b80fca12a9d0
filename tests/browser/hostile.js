// The crafted shapes of benches/hostile.rs, made here so a browser test needs no file a clean
// clone lacks: the same generator (the same 64-bit LCG, seed 7) gives the same text (checked
// byte for byte against target/hostile/, 2026-11-27). The bench's last shape, every rule's
// anchor on every line, needs anchors only the Rust side computes: the tests make it in the page
// from every rule's error text instead (`rules()`).

/** The bench's generator: `below(n)` and `pick(alphabet, n)`, as in benches/hostile.rs. */
class Rng {
  constructor(seed) {
    this.state = BigInt(seed);
  }

  below(n) {
    this.state = (this.state * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
    return Number((this.state >> 33n) % BigInt(n));
  }

  pick(from, n) {
    let out = '';
    for (let i = 0; i < n; i += 1) out += from[this.below(from.length)];
    return out;
  }
}

function repeatUntil(size, next) {
  const parts = [];
  let length = 0;
  while (length < size) {
    const part = next();
    parts.push(part);
    length += part.length;
  }
  return parts.join('');
}

/** The bench log: verbose chatter, a device-flow error every 500 lines. */
function real(size) {
  const chatter = [
    'time="2022-09-30T10:04:14Z" level=debug msg="Checking connectivity to https://westeurope-gas.guestconfiguration.azure.com, proxy status: proxy is not used"',
    'time="2022-09-30T10:04:16Z" level=debug msg="Get ARM Resource Response" Body="{\\"error\\":{\\"code\\":\\"ResourceNotFound\\",\\"message\\":\\"The Resource \'Microsoft.HybridCompute/machines/web01\' under resource group \'rg\' was not found.\\"}}" Status Code=404',
    'time="2022-09-30T10:04:17Z" level=debug msg="Sending heartbeat" Endpoint="https://weu.his.arc.azure.com/machine/11b51d59-1e28-4716-88b3-a00dbfaa4440/status?api-version=2021-01-28"',
    'INFO    Testing connectivity to endpoints that are needed to connect to Azure... This might take a few minutes.',
  ];
  const error =
    'time="2022-09-30T10:04:18Z" level=error msg="Failed to acquire authorization token device flow" Error="Error occurred while sending request for Device Authorization Code: Post https://login.windows.net/fb84ce97-b875-4d12-b031-ef5e7edf9c8e/oauth2/devicecode?api-version=1.0: dial tcp 40.126.9.7:443: connect: network is unreachable"';
  let i = 0;
  return repeatUntil(size, () => {
    i += 1;
    return `${i % 500 === 0 ? error : chatter[i % 4]}\n`;
  });
}

/** 60 KB entries of overlapping `https://` fragments ending in tls-inspection's phrase. */
function tls(rng, size) {
  return repeatUntil(size, () => {
    let body = '';
    while (body.length < 60_000) {
      const host = 4 + rng.below(36);
      const path = rng.below(60);
      body += `https://${rng.pick('abc.-', host)}${rng.pick('/?=&x', path)}`;
    }
    return `level=error msg="${body} x509: certificate signed by unknown authority"\n`;
  });
}

/** The device-flow phrases a few bytes apart, the error they wait for 500 bytes on. */
function deviceFlow(rng, size) {
  const phrases = ['Device Authorization Code', 'authorization token device flow'];
  return repeatUntil(size, () => {
    let body = '';
    while (body.length < 60_000) {
      const gap = rng.below(30);
      body += phrases[rng.below(2)];
      body += rng.pick('abcdefgh', gap);
      body += ' ';
    }
    return `time="x" level=error msg="${body} ${'z'.repeat(500)} network is unreachable"\n`;
  });
}

/** Every AZCM code on every line: dozens of rules match each record. */
function allCodes(size) {
  const codes = Array.from({ length: 157 }, (_, i) => `AZCM${String(i + 1).padStart(4, '0')}`);
  const line = `VERBOSE: E ${codes.join(' ')}\n`;
  return repeatUntil(size, () => line);
}

/**
 * The shapes, each at least `size` bytes (all ASCII): `[label, text]`, in the bench's order. The
 * rng runs through tls and then device flow, as the bench's does.
 */
export function hostileShapes(size) {
  const rng = new Rng(7);
  return [
    ['real', real(size)],
    ['tls', tls(rng, size)],
    ['device flow', deviceFlow(rng, size)],
    ['codes', allCodes(size)],
  ];
}
