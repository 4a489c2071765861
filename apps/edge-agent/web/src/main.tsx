import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { CameraPage } from './camera-page.js';
import { EditorPage } from './editor-page.js';
import { HomePage } from './home-page.js';
import './style.css';

/** Hash routes (`#/`, `#/camera/<id>`, `#/camera/<id>/editor`), so the agent serves one file at `/`. */
function route(hash: string) {
  const [, page, id, sub] = hash.replace(/^#/, '').split('/');
  if (page === 'camera' && id) {
    const camera = decodeURIComponent(id);
    return sub === 'editor' ? <EditorPage camera={camera} /> : <CameraPage key={camera} camera={camera} />;
  }
  return <HomePage />;
}

function App() {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const changed = () => setHash(location.hash);
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return (
    <>
      <header>
        <a href="#/">rxvision</a>
      </header>
      <main key={hash}>{route(hash)}</main>
    </>
  );
}

const root = document.getElementById('app');
if (root) render(<App />, root);
