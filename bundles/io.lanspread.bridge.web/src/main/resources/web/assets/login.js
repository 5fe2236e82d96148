// Shows why the login page came back after a wrong token.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("failed").hidden = !new URLSearchParams(window.location.search).has("failed");
});
