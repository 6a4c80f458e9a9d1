/** Who is signed in decides the pages: the admin token sees the organisation, a team key its team. */
import { useEffect, useState } from 'preact/hooks';
import { lazy, LocationProvider, Route, Router, useLocation } from 'preact-iso';
import { api, ApiError, type Me } from './api';
import { currentKey, setKey } from './session';
import { SignIn } from './pages/sign-in';
import { Organisation } from './pages/organisation';
import { TeamOverview } from './pages/team-overview';

// Pages past the first view load on demand, so the first view's JavaScript stays small.
const StreamPage = lazy(() => import('./pages/stream').then((m) => m.StreamPage));
const IncidentsPage = lazy(() => import('./pages/incidents').then((m) => m.IncidentsPage));
const ModelsPage = lazy(() => import('./pages/models').then((m) => m.ModelsPage));
const JobsPage = lazy(() => import('./pages/jobs').then((m) => m.JobsPage));
const RulesPage = lazy(() => import('./pages/rules').then((m) => m.RulesPage));
const NewPage = lazy(() => import('./pages/new-stream').then((m) => m.NewPage));

/** The team's pages, in the order of the navigation bar. */
const NAV: [path: string, label: string][] = [
  ['/', 'Streams'],
  ['/incidents', 'Incidents'],
  ['/models', 'Models'],
  ['/jobs', 'Jobs'],
  ['/rules', 'Alert rules'],
  ['/new', 'New stream'],
];

function Nav() {
  const { path } = useLocation();
  const here = (p: string): boolean => (p === '/' ? path === '/' || path.startsWith('/streams/') : path.startsWith(p));
  return (
    <nav aria-label="Pages" class="nav">
      <ul>
        {NAV.map(([p, label]) => (
          <li key={p}>
            <a href={p} aria-current={here(p) ? 'page' : undefined}>{label}</a>
          </li>
        ))}
      </ul>
    </nav>
  );
}


type Session = { state: 'out'; message?: string } | { state: 'checking' } | { state: 'in'; me: Me };

function describe(e: unknown): string {
  if (e instanceof ApiError && e.status === 401) return 'That key is not known to this service: it is wrong or has been revoked.';
  if (e instanceof ApiError && e.status === 0) return 'The Vigil service cannot be reached.';
  return e instanceof Error ? e.message : String(e);
}

export function App() {
  const [session, setSession] = useState<Session>(currentKey() ? { state: 'checking' } : { state: 'out' });

  const signIn = async (key: string): Promise<void> => {
    setSession({ state: 'checking' });
    try {
      const me = await api<Me>('/v1/me', key);
      setKey(key);
      setSession({ state: 'in', me });
    } catch (e) {
      setKey(null);
      setSession({ state: 'out', message: describe(e) });
    }
  };
  const signOut = (): void => {
    setKey(null);
    setSession({ state: 'out' });
  };

  useEffect(() => {
    const key = currentKey();
    if (key) void signIn(key);
  }, []);

  if (session.state === 'checking') return <main class="page"><p role="status">Signing in…</p></main>;
  if (session.state === 'out') return <SignIn onSubmit={signIn} message={session.message} />;
  const me = session.me;
  return (
    <LocationProvider>
      <header class="top">
        <a class="brand" href="/">Vigil</a>
        <span class="who">{me.kind === 'admin' ? 'Organisation (admin token, read-only)' : `Team ${me.teamName} · ${me.role} key`}</span>
        <button type="button" class="quiet" onClick={signOut}>Sign out</button>
      </header>
      {me.kind === 'admin' ? (
        <Router>
          <Route path="/" component={Organisation} />
          <Route default component={Organisation} />
        </Router>
      ) : (
        <>
          <Nav />
          <Router>
            <Route path="/" component={TeamOverview} />
            <Route path="/streams/:id" component={StreamPage} />
            <Route path="/incidents" component={IncidentsPage} />
            <Route path="/models" component={ModelsPage} />
            <Route path="/jobs" component={JobsPage} />
            <Route path="/rules" component={RulesPage} />
            <Route path="/new" component={NewPage} />
            <Route default component={TeamOverview} />
          </Router>
        </>
      )}
    </LocationProvider>
  );
}
