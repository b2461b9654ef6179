/**
 * The page side of Chromium's File System Access API: picking a folder and asking again for
 * permission to read it. TypeScript's lib has the handles but not these methods (they are
 * Chromium-only), so they are declared here, narrowly, instead of adding a types package.
 */

/** What the browser says about reading a linked folder: granted, ask the user, or refused. */
export type FolderPermission = 'granted' | 'prompt' | 'denied';

interface PermissionHandle {
  queryPermission(descriptor: { mode: 'read' }): Promise<FolderPermission>;
  requestPermission(descriptor: { mode: 'read' }): Promise<FolderPermission>;
}

interface PickerWindow {
  showDirectoryPicker(options?: { id?: string; mode?: 'read' }): Promise<FileSystemDirectoryHandle>;
}

/** True where folders can be linked (Chromium on desktop); elsewhere only copying works. */
export function canLinkFolders(): boolean {
  return typeof (globalThis as unknown as Partial<PickerWindow>).showDirectoryPicker === 'function';
}

/**
 * Lets the user pick a folder to link (must run in a click handler). Resolves null when the
 * user closed the picker; other failures throw.
 */
export async function pickFolder(): Promise<FileSystemDirectoryHandle | null> {
  try {
    return await (globalThis as unknown as PickerWindow).showDirectoryPicker({ id: 'norae-music', mode: 'read' });
  } catch (error) {
    if ((error as Error)?.name === 'AbortError') return null;
    throw error;
  }
}

/** Whether the page may read the folder now, without asking. */
export function queryFolderPermission(handle: FileSystemDirectoryHandle): Promise<FolderPermission> {
  return (handle as unknown as PermissionHandle).queryPermission({ mode: 'read' });
}

/** Asks the user to let the page read the folder again (must run in a click handler). */
export function requestFolderPermission(handle: FileSystemDirectoryHandle): Promise<FolderPermission> {
  return (handle as unknown as PermissionHandle).requestPermission({ mode: 'read' });
}
