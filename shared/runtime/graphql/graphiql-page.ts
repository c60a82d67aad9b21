/**
 * The GraphiQL page: React 18 and GraphiQL from the function's own copies of their npm
 * packages (no CDN). The token goes in GraphiQL's headers editor, kept in the browser only.
 */
const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** `base` is the stage path prefix ('' on the default stage). */
export const graphiqlPage = (base: string): string => {
  const at = (path: string) => escapeHtml(`${base}${path}`);
  const headers = JSON.stringify({ authorization: 'Bearer <id token from POST /auth/login>' }, null, 2);
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Shiftline GraphQL</title>
  <link rel="stylesheet" href="${at('/graphql/graphiql.min.css')}">
  <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
  <div id="graphiql"></div>
  <script src="${at('/graphql/react.production.min.js')}"></script>
  <script src="${at('/graphql/react-dom.production.min.js')}"></script>
  <script src="${at('/graphql/graphiql.min.js')}"></script>
  <script>
    const fetcher = GraphiQL.createFetcher({ url: ${JSON.stringify(`${base}/graphql`)} });
    ReactDOM.createRoot(document.getElementById('graphiql')).render(
      React.createElement(GraphiQL, {
        fetcher,
        defaultHeaders: ${JSON.stringify(headers)},
        isHeadersEditorEnabled: true,
        shouldPersistHeaders: true,
        defaultEditorToolsVisibility: 'headers',
        defaultQuery: '{ me { id name roles staffProfileId } }',
      }),
    );
  </script>
</body>
</html>
`;
};
