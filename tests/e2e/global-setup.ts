import { makeFixtures } from './fixtures.ts';

export default function globalSetup(): void {
  makeFixtures();
}
