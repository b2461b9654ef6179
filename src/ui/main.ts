import { mount } from 'svelte';
import App from './App.svelte';
import 'virtual:korean-ui-font.css';
import './app.css';
import { i18n } from './i18n/i18n.svelte.ts';
import { readyForKorean, watchForKoreanText } from './korean-font.ts';
import { reportUnexpectedErrors } from './unexpected-errors.ts';

reportUnexpectedErrors();
if (i18n.locale === 'ko') await readyForKorean();
watchForKoreanText();

mount(App, { target: document.getElementById('app') as HTMLElement });
