export type FolderGraph = Map<string, Map<string, string>>;
export const ROOT: string;
export function folderGraph(srcDir: string): FolderGraph;
export function folderCycles(graph: FolderGraph): { folders: string[]; cycle: string[] }[];
