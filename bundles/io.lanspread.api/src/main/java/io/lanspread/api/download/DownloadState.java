package io.lanspread.api.download;

public enum DownloadState {
    RUNNING, FINISHED, FAILED, CANCELLED
}
