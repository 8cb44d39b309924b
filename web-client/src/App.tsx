import { Suspense, lazy, useEffect, useRef } from 'react';
import { signOut, useAuth } from './auth';
import { EventPage } from './pages/EventPage';
import { Home } from './pages/Home';
import { Orders } from './pages/Orders';
import { parseRoute, usePath } from './router';
import { Link } from './ui/Link';

// The operators' dashboard and the draw's check are separate chunks, fetched when first opened:
// a buyer waiting in the queue loads neither.
const Dashboard = lazy(() => import('./admin/Dashboard').then((m) => ({ default: m.Dashboard })));
const DrawPage = lazy(() => import('./pages/DrawPage').then((m) => ({ default: m.DrawPage })));

export function App() {
  const path = usePath();
  const route = parseRoute(path);
  const auth = useAuth();
  // After an in-page navigation, move focus to the new content (as a page load would).
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById('main')?.focus();
  }, [path]);
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <Link to="/" className="brand">
          usher
        </Link>
        <nav aria-label="Main">
          <Link to="/">Tickets</Link>
          {auth && <Link to="/orders">My orders</Link>}
        </nav>
        <div className="account">
          {auth ? (
            <>
              <span data-testid="signed-in">Signed in as {auth.display_name || auth.username}</span>
              <button type="button" className="link" onClick={signOut}>
                Sign out
              </button>
            </>
          ) : (
            <span className="muted">Not signed in</span>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {route.page === 'home' && <Home />}
        {route.page === 'event' && <EventPage key={route.eventId} eventId={route.eventId} />}
        {route.page === 'orders' && <Orders />}
        <Suspense
          fallback={
            <p className="muted" role="status">
              Loading…
            </p>
          }
        >
          {route.page === 'draw' && <DrawPage key={route.eventId} eventId={route.eventId} />}
          {route.page === 'admin' && <Dashboard />}
        </Suspense>
        {route.page === 'missing' && (
          <section>
            <h1>Page not found</h1>
            <p>
              Nothing lives at <code>{route.path}</code>. <Link to="/">Go to the tickets page</Link>.
            </p>
          </section>
        )}
      </main>
    </>
  );
}
