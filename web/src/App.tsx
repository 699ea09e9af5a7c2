// The shell: sign-in, the session's role, navigation, theme, and the view the hash route picks.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, onUnauthorised, session, takeKeyFromFragment } from './lib/api.js';
import { dataNow, simulatedClock, syncClock } from './lib/clock.js';
import { when } from './lib/format.js';
import { can } from './lib/roles.js';
import { href, useRoute } from './lib/router.js';
import { useTheme } from './lib/theme.js';
import type { Me, Role } from './lib/types.js';
import { CampaignView } from './views/CampaignView.js';
import { CampaignsView } from './views/CampaignsView.js';
import { EntitiesView } from './views/EntitiesView.js';
import { EntityView } from './views/EntityView.js';
import { OverviewView } from './views/OverviewView.js';
import { PolicyView } from './views/PolicyView.js';
import { ReviewView } from './views/ReviewView.js';
import { SignIn } from './views/SignIn.js';

interface NavItem {
  id: string;
  label: string;
  role: Role;
}
const NAV: NavItem[] = [
  { id: 'overview', label: 'Overview', role: 'reader' },
  { id: 'cases', label: 'Review queue', role: 'reader' },
  { id: 'campaigns', label: 'Campaigns', role: 'reader' },
  { id: 'entities', label: 'Entities', role: 'reader' },
  { id: 'policy', label: 'Policy', role: 'reader' },
];

export function App() {
  const [me, setMe] = useState<Me | null>(null);
  const [signInError, setSignInError] = useState<string | null>(null);
  const [checking, setChecking] = useState(Boolean(session.key()));
  const [theme, toggleTheme] = useTheme();
  const route = useRoute();

  const signIn = async (key: string) => {
    setSignInError(null);
    try {
      const who = await get<Me>('/v1/me', key);
      syncClock(who.clock);
      session.set(key);
      setMe(who);
    } catch (e) {
      session.clear();
      setSignInError(
        e instanceof ApiError && e.status === 401
          ? 'The server does not know this key (or it was revoked).'
          : String(e),
      );
    } finally {
      setChecking(false);
    }
  };
  const signOut = () => {
    session.clear();
    setMe(null);
  };

  useEffect(() => {
    const key = session.key();
    if (key) void signIn(key);
    // A demo link pasted into an open tab changes only the fragment: take its key too.
    const onHash = () => {
      const k = takeKeyFromFragment();
      if (k) void signIn(k);
    };
    window.addEventListener('hashchange', onHash);
    const off = onUnauthorised(signOut);
    return () => {
      window.removeEventListener('hashchange', onHash);
      off();
    };
  }, []);

  // The data clock runs on (the demo's replay runs at thousands of seconds per second): re-read it,
  // and the key's role, while the tab is visible.
  useEffect(() => {
    if (!me) return undefined;
    const t = setInterval(() => {
      if (document.visibilityState !== 'visible') return;
      get<Me>('/v1/me').then(
        (who) => syncClock(who.clock),
        () => {},
      );
    }, 10_000);
    return () => clearInterval(t);
  }, [me?.id]);

  const view = route.parts[0] ?? 'overview';
  useEffect(() => {
    const item = NAV.find((n) => n.id === view);
    document.title = `${item?.label ?? 'Precursor'} · Precursor`;
    // Focus moves to the new view's main region so keyboard and screen-reader users land on it.
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [view, route.parts[1]]);

  if (!me)
    return (
      <SignIn
        onSubmit={signIn}
        error={signInError}
        checking={checking}
        theme={theme}
        toggleTheme={toggleTheme}
      />
    );

  return (
    <div class="shell">
      <button type="button" class="skip" onClick={() => document.getElementById('main')?.focus()}>
        Skip to content
      </button>
      <header class="top">
        <a class="brand" href={href('overview')}>
          <span class="logo" aria-hidden="true">
            ◆
          </span>{' '}
          Precursor
        </a>
        <nav aria-label="Main">
          <ul>
            {NAV.filter((n) => can(me.role, n.role)).map((n) => (
              <li key={n.id}>
                <a
                  href={href(n.id)}
                  aria-current={
                    view === n.id || (view === 'entity' && n.id === 'entities') ? 'page' : undefined
                  }
                >
                  {n.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <WorldClock />
          <span class="pill" title={`key ${me.id}`}>
            {me.label} · <b>{me.role}</b>
          </span>
          <button
            type="button"
            class="ghost"
            onClick={toggleTheme}
            aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
          >
            {theme === 'dark' ? '☀' : '☾'}
          </button>
          <button type="button" class="ghost" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {!can(me.role, 'reader') ? (
          <p class="err" role="alert">
            This key has the <b>{me.role}</b> role: it may submit data but not read it. Sign in with a reader,
            analyst or admin key.
          </p>
        ) : (
          <Routed view={view} route={route} me={me} />
        )}
      </main>
    </div>
  );
}

function Routed({ view, route, me }: { view: string; route: ReturnType<typeof useRoute>; me: Me }) {
  const role = me.role;
  const id = route.parts[1];
  switch (view) {
    case 'overview':
      return <OverviewView />;
    case 'campaigns':
      return id ? <CampaignView id={id} role={role} /> : <CampaignsView />;
    case 'cases':
      return <ReviewView role={role} actor={`key:${me.id}`} caseId={id ?? null} query={route.query} />;
    case 'entities':
      return <EntitiesView query={route.query} />;
    case 'entity':
      return id ? (
        <EntityView entityKey={route.parts.slice(1).join('/')} />
      ) : (
        <EntitiesView query={route.query} />
      );
    case 'policy':
      return <PolicyView role={role} />;
    default:
      return (
        <p class="err" role="alert">
          No view “{view}”. <a href={href('overview')}>Back to the overview</a>
        </p>
      );
  }
}

/** In the live demo, the replayed world's time (what "last seen 3 hours ago" counts from). */
function WorldClock() {
  const [now, setNow] = useState(dataNow());
  useEffect(() => {
    const t = setInterval(() => setNow(dataNow()), 1000);
    return () => clearInterval(t);
  }, []);
  if (!simulatedClock()) return null;
  return (
    <span class="pill world-clock" title="The demo's replay clock: data times are read against it">
      world time <time dateTime={new Date(now).toISOString()}>{when(new Date(now).toISOString())}</time>
    </span>
  );
}
