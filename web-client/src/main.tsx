import { createRoot } from 'react-dom/client';
import { App } from './App';
import { installPowBench } from './pow/solve';
import './styles.css';
import './buyer.css';

installPowBench();
createRoot(document.getElementById('root')!).render(<App />);
