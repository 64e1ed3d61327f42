// PEP 440 versions and specifiers, enough to check a Python dependency when the interpreter has no
// `packaging` (which the check prefers): release segments, pre- (a, b, rc), post- and dev-releases,
// epochs, local labels, and the operators ~=, ==, != (with .*), <=, >=, <, >, ===.

export interface Pep440Version {
  epoch: number;
  release: number[];
  /** ['a' | 'b' | 'rc', n] */
  pre: [string, number] | undefined;
  post: number | undefined;
  dev: number | undefined;
  local: string | undefined;
}

const VERSION =
  /^v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\d+)?)?(?:-(\d+)|[-_.]?(post|rev|r)[-_.]?(\d+)?)?(?:[-_.]?(dev)[-_.]?(\d+)?)?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?$/i;

const PRE: Record<string, string> = { a: 'a', alpha: 'a', b: 'b', beta: 'b', c: 'rc', rc: 'rc', pre: 'rc', preview: 'rc' };

export function parsePep440(text: string): Pep440Version | undefined {
  const m = VERSION.exec(text.trim());
  if (!m) return undefined;
  const [, epoch, release, preLabel, preNum, postImplicit, postLabel, postNum, devLabel, devNum, local] = m;
  const post = postImplicit ?? postNum ?? (postLabel ? '0' : undefined);
  return {
    epoch: epoch ? Number(epoch) : 0,
    release: release!.split('.').map(Number),
    pre: preLabel ? [PRE[preLabel.toLowerCase()]!, preNum ? Number(preNum) : 0] : undefined,
    post: post !== undefined ? Number(post) : undefined,
    dev: devLabel ? Number(devNum ?? 0) : undefined,
    local: local?.toLowerCase(),
  };
}

function compareRelease(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** PEP 440 ordering: dev < pre < final < post, by release first. Local labels are ignored. */
export function comparePep440(a: Pep440Version, b: Pep440Version): number {
  if (a.epoch !== b.epoch) return Math.sign(a.epoch - b.epoch);
  const r = compareRelease(a.release, b.release);
  if (r !== 0) return r;
  // A key per version: [pre-phase, pre-number, post, dev] with "no pre" after any pre and a bare dev before any pre.
  const key = (v: Pep440Version): number[] => {
    const phase = v.pre ? ['a', 'b', 'rc'].indexOf(v.pre[0]) : v.post === undefined && v.dev !== undefined ? -1 : 3;
    return [phase, v.pre ? v.pre[1] : 0, v.post === undefined ? -1 : v.post, v.dev === undefined ? Number.POSITIVE_INFINITY : v.dev];
  };
  const ka = key(a);
  const kb = key(b);
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
  return 0;
}

function isPre(v: Pep440Version): boolean {
  return v.pre !== undefined || v.dev !== undefined;
}

/** One clause: `>=0.17`, `~=1.4.2`, `==1.*`, `!=2.0`. */
function clauseHolds(version: Pep440Version, versionText: string, clause: string): boolean {
  const m = /^(~=|===|==|!=|<=|>=|<|>)\s*(.+)$/.exec(clause.trim());
  if (!m) throw new Error(`"${clause}" is not a PEP 440 version specifier`);
  const [, op, rawTarget] = m;
  const target = rawTarget!.trim();
  if (op === '===') return versionText.trim() === target;
  if ((op === '==' || op === '!=') && target.endsWith('.*')) {
    const prefix = parsePep440(target.slice(0, -2));
    if (!prefix) throw new Error(`"${clause}" is not a PEP 440 version specifier`);
    const holds = version.epoch === prefix.epoch && prefix.release.every((n, i) => (version.release[i] ?? 0) === n);
    return op === '==' ? holds : !holds;
  }
  const t = parsePep440(target);
  if (!t) throw new Error(`"${clause}" is not a PEP 440 version specifier`);
  const c = comparePep440(version, t);
  switch (op) {
    case '==':
      return c === 0;
    case '!=':
      return c !== 0;
    case '<=':
      return c <= 0;
    case '>=':
      return c >= 0;
    case '<':
      // <V excludes pre-releases of V unless V is one itself
      return c < 0 && !(isPre(version) && !isPre(t) && compareRelease(version.release, t.release) === 0);
    case '>':
      return c > 0 && !(version.post !== undefined && t.post === undefined && compareRelease(version.release, t.release) === 0);
    default: {
      // ~=X.Y.Z: >=X.Y.Z, ==X.Y.*
      if (t.release.length < 2) throw new Error(`"${clause}": ~= needs at least two release segments`);
      const prefix = t.release.slice(0, -1);
      return c >= 0 && version.epoch === t.epoch && prefix.every((n, i) => (version.release[i] ?? 0) === n);
    }
  }
}

/**
 * Whether `version` satisfies the comma-separated specifier (empty: anything). Pre-releases satisfy
 * only when the specifier names one or when `prereleases` is set, as pip decides by default.
 */
export function satisfiesPep440(versionText: string, specifier: string, prereleases = false): boolean {
  const version = parsePep440(versionText);
  if (!version) return false;
  const clauses = specifier
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '');
  if (isPre(version) && !prereleases && !clauses.some((c) => /\d[-_.]?(a|b|rc|c|alpha|beta|dev|pre|preview)/i.test(c))) return false;
  return clauses.every((c) => clauseHolds(version, versionText, c));
}
